//! The agent's data flow, drawn from what the answers mean (`crate::meaning`), never from question
//! ids: who sends data where — users, channels, platforms, your agent, model providers, hosting,
//! databases, storage, e-mail, payment, analytics SDKs, logging, knowledge, tools and memory —
//! each recipient with its location as resolved (a region answer overrides a provider's default),
//! and the flows that reach a third party or cross a border marked. One model for every view of
//! it: the wizard's screen, the mermaid diagram and the SVG.

use serde::Serialize;

use crate::condition::Tri;
use crate::evaluate::question_states;
use crate::i18n::Ui;
use crate::meaning::{self, Feature, Location, RecipientKind};
use crate::model::{Assessment, Choice, Knowledge, Lang, ProviderKind, Text};

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
    Hosting,
    Database,
    Storage,
    Email,
    Payment,
    Analytics,
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
    /// Where it processes data: the location an answer stated, else the provider's region.
    pub region: Option<Text>,
    /// Operated by someone other than the developer.
    pub third_party: bool,
    /// How long it keeps the users' data, as an answer to a `retention` question that
    /// `retains:` the question naming it says (`flow.kept`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kept: Option<Text>,
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

/// The recipient kinds drawn after the model providers, in drawing order, with their node kind
/// and the locale key of the flow that reaches them.
const OUTBOUND: [(RecipientKind, NodeKind, &str); 7] = [
    (
        RecipientKind::Hosting,
        NodeKind::Hosting,
        "flow.edge.hosted",
    ),
    (
        RecipientKind::Database,
        NodeKind::Database,
        "flow.edge.stored",
    ),
    (
        RecipientKind::Storage,
        NodeKind::Storage,
        "flow.edge.stored",
    ),
    (RecipientKind::Email, NodeKind::Email, "flow.edge.mail"),
    (
        RecipientKind::Payment,
        NodeKind::Payment,
        "flow.edge.payments",
    ),
    (
        RecipientKind::AnalyticsSdk,
        NodeKind::Analytics,
        "flow.edge.events",
    ),
    (RecipientKind::Logging, NodeKind::Logs, "flow.edge.logs"),
];

/// The name of a place, in both languages.
pub fn location_text(ui: &Ui, place: Location) -> Text {
    ui_text(ui, &format!("flow.location.{}", place.code()))
}

/// A part of the flow one chosen option names, of one recipient kind.
struct Part<'k> {
    option: &'k Choice,
    region: Option<Text>,
    kept: Option<Text>,
    third_party: bool,
    crossing: Crossing,
}

/// Reads the answers through their meanings once, for every kind of node.
struct Reader<'k, 's> {
    k: &'k Knowledge,
    states: &'s [crate::condition::QState<'s>],
    chosen: Vec<(usize, &'k Choice)>,
    recipients: Vec<meaning::Recipient>,
    /// The users' places the provider facts speak for (mainland China, the EU).
    places: Vec<Location>,
}

impl<'k> Reader<'k, '_> {
    fn has_feature(&self, f: Feature) -> bool {
        self.chosen.iter().any(|(_, o)| o.means.feature == Some(f))
    }

    /// Whether a recipient processes the users' data outside their place.
    fn crossing(&self, r: &meaning::Recipient) -> Crossing {
        let mut c = Crossing::No;
        for &place in &self.places {
            match r.is_outside(place) {
                Tri::True => return Crossing::Yes,
                Tri::Unknown => c = Crossing::Maybe,
                Tri::False => {}
            }
        }
        c
    }

    /// The chosen options that name a part of this kind, in questionnaire order: the developer's
    /// own (`own:`), a recipient (`recipient:`, as resolved, once per recipient), and for logging
    /// the logs kept elsewhere (`feature: logs`, on someone else's console).
    fn parts(&self, kind: RecipientKind, ui: &Ui) -> Vec<Part<'k>> {
        let mut out = Vec::new();
        for &(qi, o) in &self.chosen {
            let provider_region = o
                .provider
                .map(|p| self.k.catalog.providers[p].region.clone());
            if o.means.own == Some(kind) {
                out.push(Part {
                    option: o,
                    region: provider_region,
                    kept: None,
                    third_party: false,
                    crossing: Crossing::No,
                });
            } else if o.means.recipient.as_ref().is_some_and(|r| r.kind == kind) {
                // An option that only states where a recipient named elsewhere is (a region
                // answer) is not a recipient of its own.
                let Some(r) = self.recipients.iter().find(|r| {
                    r.question == qi
                        && self.k.questionnaire.questions[qi].option_index(&o.id) == Some(r.option)
                }) else {
                    continue;
                };
                let self_hosted = r
                    .provider
                    .is_some_and(|p| self.k.catalog.providers[p].kind == ProviderKind::SelfHosted);
                out.push(Part {
                    option: o,
                    region: r
                        .stated
                        .map(|(place, _)| location_text(ui, place))
                        .or(provider_region),
                    kept: meaning::kept_by(self.k, self.states, qi).map(|(_, o)| {
                        let period = |lang| {
                            ui.fmt(
                                lang,
                                "flow.kept",
                                &[("period", o.label.get(lang).to_string())],
                            )
                        };
                        Text::new(period(Lang::En), period(Lang::Zh))
                    }),
                    third_party: !self_hosted,
                    crossing: if self_hosted {
                        Crossing::No
                    } else {
                        self.crossing(r)
                    },
                });
            } else if kind == RecipientKind::Logging
                && o.means.feature == Some(Feature::Logs)
                && o.means.own.is_none()
                && o.means.recipient.is_none()
            {
                out.push(Part {
                    option: o,
                    region: None,
                    kept: None,
                    third_party: true,
                    crossing: Crossing::No,
                });
            }
        }
        out
    }
}

/// Builds the data flow for the answers given so far.
pub fn build(k: &Knowledge, a: &Assessment, ui: &Ui) -> DataFlow {
    let states = question_states(k, a);
    let chosen = meaning::chosen_options(k, &states);
    let (recipients, _) = meaning::recipients(k, &states);
    let places = [Location::CnMainland, Location::Eu]
        .into_iter()
        .filter(|&p| chosen.iter().any(|(_, o)| o.means.users_in == Some(p)))
        .collect();
    let r = Reader {
        k,
        states: &states,
        chosen,
        recipients,
        places,
    };
    let mut flow = DataFlow::default();
    let add = |flow: &mut DataFlow, node: Node| -> usize {
        if let Some(i) = flow.nodes.iter().position(|n| n.id == node.id) {
            return i;
        }
        flow.nodes.push(node);
        flow.nodes.len() - 1
    };
    let regions: Vec<Text> = r
        .chosen
        .iter()
        .filter(|(_, o)| o.means.users_in.is_some())
        .map(|(_, o)| o.label.clone())
        .collect();
    let users_label = if regions.is_empty() {
        ui_text(ui, "flow.users")
    } else {
        let label = |lang: Lang, open: &str, sep: &str, close: &str| {
            let list: Vec<&str> = regions.iter().map(|n| n.get(lang)).collect();
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
            id: meaning::code_of(&NodeKind::Users),
            kind: NodeKind::Users,
            label: users_label,
            region: None,
            third_party: false,
            kept: None,
        },
    );
    let agent = add(
        &mut flow,
        Node {
            id: meaning::code_of(&NodeKind::Agent),
            kind: NodeKind::Agent,
            label: ui_text(ui, "flow.agent"),
            region: None,
            third_party: false,
            kept: None,
        },
    );
    // Node ids are the kind's name and the option id: stable, and never spelled here.
    let node = |kind: NodeKind, p: &Part<'_>| Node {
        id: format!("{}-{}", meaning::code_of(&kind), p.option.id),
        kind,
        label: p.option.label.clone(),
        region: p.region.clone(),
        third_party: p.third_party,
        kept: p.kept.clone(),
    };

    // Channels: how users reach the agent.
    let mut entry = Vec::new();
    for p in r.parts(RecipientKind::Channel, ui) {
        let i = add(&mut flow, node(NodeKind::Channel, &p));
        flow.edges.push(Edge {
            from: users,
            to: i,
            label: ui_text(ui, "flow.edge.messages"),
            third_party: p.third_party,
            crossing: p.crossing,
        });
        entry.push(i);
    }
    // Platforms the agent is built on sit between the channel and the agent.
    let mut platforms = Vec::new();
    for p in r.parts(RecipientKind::Platform, ui) {
        let i = add(&mut flow, node(NodeKind::Platform, &p));
        platforms.push((i, p.third_party, p.crossing));
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
        for &(p, third, crossing) in &platforms {
            for s in &sources {
                flow.edges.push(Edge {
                    from: *s,
                    to: p,
                    label: ui_text(ui, "flow.edge.messages"),
                    third_party: third,
                    crossing,
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
    for p in r.parts(RecipientKind::ModelProvider, ui) {
        let i = add(&mut flow, node(NodeKind::Model, &p));
        flow.edges.push(Edge {
            from: agent,
            to: i,
            label: ui_text(ui, "flow.edge.prompts"),
            third_party: p.third_party,
            crossing: p.crossing,
        });
    }
    // Knowledge.
    if r.has_feature(Feature::KnowledgeBase) {
        let i = add(
            &mut flow,
            Node {
                id: "knowledge".into(),
                kind: NodeKind::Knowledge,
                label: ui_text(ui, "flow.knowledge"),
                region: None,
                third_party: false,
                kept: None,
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
    // Tools: an outside service is a third party; the developer's machine or data is not.
    for &(_, o) in &r.chosen {
        let Some(reach) = o.means.tool else {
            continue;
        };
        let third = reach == meaning::ToolReach::External;
        let i = add(
            &mut flow,
            Node {
                id: format!("tool-{}", o.id),
                kind: NodeKind::Tool,
                label: o.label.clone(),
                region: None,
                third_party: third,
                kept: None,
            },
        );
        flow.edges.push(Edge {
            from: agent,
            to: i,
            label: ui_text(ui, "flow.edge.actions"),
            third_party: third,
            crossing: Crossing::No,
        });
    }
    // Memory.
    if [
        Feature::HistorySession,
        Feature::HistoryPersistent,
        Feature::LongTermMemory,
    ]
    .into_iter()
    .any(|f| r.has_feature(f))
    {
        let i = add(
            &mut flow,
            Node {
                id: "memory".into(),
                kind: NodeKind::Memory,
                label: ui_text(ui, "flow.memory"),
                region: None,
                third_party: false,
                kept: None,
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
    // Hosting, databases, storage, e-mail, payment, analytics SDKs and logging.
    for (kind, node_kind, edge) in OUTBOUND {
        for p in r.parts(kind, ui) {
            let i = add(&mut flow, node(node_kind, &p));
            flow.edges.push(Edge {
                from: agent,
                to: i,
                label: ui_text(ui, edge),
                third_party: p.third_party,
                crossing: p.crossing,
            });
        }
    }
    flow
}
