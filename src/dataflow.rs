//! The agent's data flow, drawn from the answers: who sends data where — users, channels,
//! platforms, your agent, model providers (with their region), knowledge, tools, memory and
//! logs — with the flows that reach a third party or cross a border marked. One model for every
//! view of it: the wizard's screen, the mermaid diagram and the SVG.

use serde::Serialize;

use crate::condition::QState;
use crate::evaluate::question_states;
use crate::i18n::Ui;
use crate::model::{Assessment, FactValue, Knowledge, Lang, NOT_SURE, Text, Value};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NodeKind {
    Users,
    Channel,
    Platform,
    Agent,
    Model,
    Knowledge,
    Tool,
    Memory,
    Logs,
}

/// Whether a flow crosses a border that matters for the agent's users.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Crossing {
    No,
    Yes,
    /// A provider's location is unknown for these users.
    Maybe,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Node {
    /// Stable within one diagram: `users`, `agent`, `model-openai`, `tool-email_send` …
    pub id: String,
    pub kind: NodeKind,
    pub label: Text,
    /// Where it runs, when the knowledge base says.
    pub region: Option<Text>,
    /// Operated by someone other than the developer.
    pub third_party: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Edge {
    pub from: usize,
    pub to: usize,
    pub label: Text,
    pub third_party: bool,
    pub crossing: Crossing,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct DataFlow {
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
}

impl DataFlow {
    pub fn has_crossing(&self) -> bool {
        self.edges.iter().any(|e| e.crossing != Crossing::No)
    }
}

fn ui_text(ui: &Ui, key: &str) -> Text {
    Text::new(ui.get(Lang::En, key), ui.get(Lang::Zh, key))
}

/// The chosen options of a question (empty when hidden, unanswered or "not sure").
fn chosen<'a>(k: &Knowledge, states: &[QState<'a>], id: &str) -> Vec<&'a str> {
    let Some(i) = k.questionnaire.index(id) else {
        return Vec::new();
    };
    match &states[i] {
        QState::Given(Value::Choice(c)) if c != NOT_SURE => vec![c.as_str()],
        QState::Given(Value::Choices(cs)) => cs
            .iter()
            .map(String::as_str)
            .filter(|c| *c != NOT_SURE && *c != "none")
            .collect(),
        _ => Vec::new(),
    }
}

/// The provider (index into `Catalog::providers`) behind an option, if it names one.
fn option_provider(k: &Knowledge, question: &str, option: &str) -> Option<usize> {
    k.questionnaire
        .question(question)
        .and_then(|q| q.option(option))
        .and_then(|o| o.provider)
}

fn option_label(k: &Knowledge, question: &str, option: &str) -> Text {
    k.questionnaire
        .question(question)
        .and_then(|q| q.option(option))
        .map_or_else(|| Text::new(option, option), |o| o.label.clone())
}

/// Builds the data flow for the answers given so far.
pub fn build(k: &Knowledge, a: &Assessment, ui: &Ui) -> DataFlow {
    let states = question_states(k, a);
    let mut flow = DataFlow::default();
    let add = |flow: &mut DataFlow, node: Node| -> usize {
        if let Some(i) = flow.nodes.iter().position(|n| n.id == node.id) {
            return i;
        }
        flow.nodes.push(node);
        flow.nodes.len() - 1
    };
    let regions = chosen(k, &states, "users.regions");
    let users_label = if regions.is_empty() {
        ui_text(ui, "flow.users")
    } else {
        let names: Vec<Text> = regions
            .iter()
            .map(|r| option_label(k, "users.regions", r))
            .collect();
        let label = |lang: Lang, open: &str, sep: &str, close: &str| {
            let list: Vec<&str> = names.iter().map(|n| n.get(lang)).collect();
            format!(
                "{}{open}{}{close}",
                ui.get(lang, "flow.users"),
                list.join(sep)
            )
        };
        Text::new(
            label(Lang::En, " (", ", ", ")"),
            label(Lang::Zh, "（", "、", "）"),
        )
    };
    let users = add(
        &mut flow,
        Node {
            id: "users".into(),
            kind: NodeKind::Users,
            label: users_label,
            region: None,
            third_party: false,
        },
    );
    let agent = add(
        &mut flow,
        Node {
            id: "agent".into(),
            kind: NodeKind::Agent,
            label: ui_text(ui, "flow.agent"),
            region: None,
            third_party: false,
        },
    );
    let cn_users = regions.contains(&"cn_mainland");
    let eu_users = regions.contains(&"eu");
    let crossing_for = |k: &Knowledge, provider: Option<usize>| -> Crossing {
        let Some(p) = provider else {
            return if cn_users || eu_users {
                Crossing::Maybe
            } else {
                Crossing::No
            };
        };
        let fact = |id: &str| {
            k.catalog
                .fact_by_id
                .get(id)
                .map_or(FactValue::Unknown, |&f| {
                    k.catalog.providers[p].facts[f].value
                })
        };
        let mut c = Crossing::No;
        for (applies, fact_id) in [
            (cn_users, "processes_outside_mainland_china"),
            (eu_users, "processes_outside_eu"),
        ] {
            if !applies {
                continue;
            }
            match fact(fact_id) {
                FactValue::Yes => return Crossing::Yes,
                FactValue::Unknown => c = Crossing::Maybe,
                FactValue::No => {}
            }
        }
        c
    };

    // Channels: how users reach the agent.
    let mut entry = Vec::new();
    for ch in chosen(k, &states, "platform.channels") {
        let provider = option_provider(k, "platform.channels", ch);
        let i = add(
            &mut flow,
            Node {
                id: format!("channel-{ch}"),
                kind: NodeKind::Channel,
                label: option_label(k, "platform.channels", ch),
                region: provider.map(|p| k.catalog.providers[p].region.clone()),
                third_party: provider.is_some(),
            },
        );
        flow.edges.push(Edge {
            from: users,
            to: i,
            label: ui_text(ui, "flow.edge.messages"),
            third_party: provider.is_some(),
            crossing: if provider.is_some() {
                crossing_for(k, provider)
            } else {
                Crossing::No
            },
        });
        entry.push(i);
    }
    // Platforms the agent is built on sit between the channel and the agent.
    let mut platforms = Vec::new();
    for pl in chosen(k, &states, "platform.builder") {
        if pl == "own_code" {
            continue;
        }
        let provider = option_provider(k, "platform.builder", pl);
        let third = provider
            .is_none_or(|p| k.catalog.providers[p].kind != crate::model::ProviderKind::SelfHosted);
        let i = add(
            &mut flow,
            Node {
                id: format!("platform-{pl}"),
                kind: NodeKind::Platform,
                label: option_label(k, "platform.builder", pl),
                region: provider.map(|p| k.catalog.providers[p].region.clone()),
                third_party: third,
            },
        );
        platforms.push((i, provider, third));
    }
    let sources: Vec<usize> = if entry.is_empty() { vec![users] } else { entry };
    if platforms.is_empty() {
        for s in &sources {
            flow.edges.push(Edge {
                from: *s,
                to: agent,
                label: ui_text(ui, "flow.edge.messages"),
                third_party: false,
                crossing: Crossing::No,
            });
        }
    } else {
        for &(p, provider, third) in &platforms {
            for s in &sources {
                flow.edges.push(Edge {
                    from: *s,
                    to: p,
                    label: ui_text(ui, "flow.edge.messages"),
                    third_party: third,
                    crossing: if third {
                        crossing_for(k, provider)
                    } else {
                        Crossing::No
                    },
                });
            }
            flow.edges.push(Edge {
                from: p,
                to: agent,
                label: ui_text(ui, "flow.edge.runs"),
                third_party: false,
                crossing: Crossing::No,
            });
        }
    }
    // Model providers.
    for m in chosen(k, &states, "model.providers") {
        let provider = option_provider(k, "model.providers", m);
        let self_hosted = provider
            .is_some_and(|p| k.catalog.providers[p].kind == crate::model::ProviderKind::SelfHosted);
        let i = add(
            &mut flow,
            Node {
                id: format!("model-{m}"),
                kind: NodeKind::Model,
                label: option_label(k, "model.providers", m),
                region: provider.map(|p| k.catalog.providers[p].region.clone()),
                third_party: !self_hosted,
            },
        );
        flow.edges.push(Edge {
            from: agent,
            to: i,
            label: ui_text(ui, "flow.edge.prompts"),
            third_party: !self_hosted,
            crossing: if self_hosted {
                Crossing::No
            } else {
                crossing_for(k, provider)
            },
        });
    }
    // Knowledge.
    let rag = chosen(k, &states, "knowledge.rag").contains(&"yes");
    if rag {
        let i = add(
            &mut flow,
            Node {
                id: "knowledge".into(),
                kind: NodeKind::Knowledge,
                label: ui_text(ui, "flow.knowledge"),
                region: None,
                third_party: false,
            },
        );
        flow.edges.push(Edge {
            from: i,
            to: agent,
            label: ui_text(ui, "flow.edge.documents"),
            third_party: false,
            crossing: Crossing::No,
        });
    }
    // Tools.
    for t in chosen(k, &states, "tools.kinds") {
        let i = add(
            &mut flow,
            Node {
                id: format!("tool-{t}"),
                kind: NodeKind::Tool,
                label: option_label(k, "tools.kinds", t),
                region: None,
                third_party: !matches!(t, "file_read" | "file_write" | "shell" | "database_write"),
            },
        );
        flow.edges.push(Edge {
            from: agent,
            to: i,
            label: ui_text(ui, "flow.edge.actions"),
            third_party: !matches!(t, "file_read" | "file_write" | "shell" | "database_write"),
            crossing: Crossing::No,
        });
    }
    // Memory.
    let history = chosen(k, &states, "memory.history");
    if history.iter().any(|h| *h != "none") {
        let i = add(
            &mut flow,
            Node {
                id: "memory".into(),
                kind: NodeKind::Memory,
                label: ui_text(ui, "flow.memory"),
                region: None,
                third_party: false,
            },
        );
        flow.edges.push(Edge {
            from: agent,
            to: i,
            label: ui_text(ui, "flow.edge.history"),
            third_party: false,
            crossing: Crossing::No,
        });
    }
    // Logs.
    for l in chosen(k, &states, "memory.logs_where") {
        let third = l != "own_server";
        let i = add(
            &mut flow,
            Node {
                id: format!("logs-{l}"),
                kind: NodeKind::Logs,
                label: option_label(k, "memory.logs_where", l),
                region: None,
                third_party: third,
            },
        );
        flow.edges.push(Edge {
            from: agent,
            to: i,
            label: ui_text(ui, "flow.edge.logs"),
            third_party: third,
            crossing: if third && (cn_users || eu_users) && l == "observability" {
                Crossing::Maybe
            } else {
                Crossing::No
            },
        });
    }
    flow
}
