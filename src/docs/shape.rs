//! The delivery shape as the privacy notice needs it (issue 14): who "we" and "you" are and what
//! kind of document the answers call for. A hosted service gets the usual notice to its users; an
//! internal tool an employee notice; a service for business clients a notice template the client
//! adapts (the client is the handler of its end users' data, never the developer); software users
//! run themselves a notice about what reaches its maintainer; a tool only its developer uses a
//! short note that no public notice is needed yet. Read through meanings (`delivery:`,
//! `readers:`, `purpose:`, `answer: maintainer_receives`), never a question id.

// Template context: the booleans are the point (see checklist.rs).
#![allow(clippy::struct_excessive_bools)]

use serde::Serialize;

use crate::condition::QState;
use crate::evaluate::question_states;
use crate::meaning::{
    self, AnswerMeaning, DataCategory, Delivery, Feature, Purpose, RecipientKind,
};
use crate::model::{Assessment, Knowledge, NOT_SURE, Value};

/// The purposes that, for a service run for business clients, can only be its own rather than
/// its client's: training its models on the clients' data, marketing to the clients' users.
/// (`share_partners` and `analytics` are left out: reports to the client and usage figures for
/// it are the service itself.)
const PROCESSOR_OWN_PURPOSES: [Purpose; 2] = [Purpose::TrainOwn, Purpose::Marketing];

/// What reaches the maintainer of software its users run themselves, in the words the notice
/// uses (`docs.privacy.self_run.receives.<code>`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Receives {
    /// An update or version check: an IP address and the version.
    Identifiers,
    /// Crash or error reports.
    Logs,
    /// Usage statistics.
    Analytics,
    /// Messages or logs: sent for support, or passing through a server the maintainer runs.
    Messages,
    /// A third-party service receives them for the maintainer.
    Vendor,
    /// Support staff reach users' installations remotely.
    Remote,
}

/// The shape of the notice.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct NoticeShape {
    /// The delivery shape's code (`hosted`, `personal`, …); `None` while unanswered.
    pub delivery: Option<String>,
    /// A tool only its developer uses: no public notice, a note instead.
    pub is_personal: bool,
    /// An internal company tool: "we" is the company, "you" its employees.
    pub is_internal: bool,
    /// A service for business clients: a template in which "we" is the client.
    pub is_processor: bool,
    /// Software its users install and run themselves.
    pub is_self_run: bool,
    /// Neither a personal tool nor self-run software: a notice to the service's users.
    pub is_user_notice: bool,
    /// For business clients: the purposes (codes) the service pursues with its clients' data
    /// on its own account.
    pub own_use: Vec<String>,
    pub has_own_use: bool,
    /// Self-run: what reaches the maintainer (empty when nothing does or it is not answered).
    pub receives: Vec<Receives>,
    /// The notice's words for each of `receives`, in order (`docs.privacy.self_run.receives.
    /// <key>`): usage statistics on by default or only when turned on, messages sent for
    /// support or passing through a server the maintainer runs.
    pub receives_keys: Vec<String>,
    /// Self-run: usage statistics are sent unless users turn them off.
    pub telemetry_default_on: bool,
    /// Self-run: support staff receive users' logs or data, or reach their installations.
    pub support_access: bool,
    /// Self-run: what the software sends the maintainer by itself (update checks, reports,
    /// statistics) goes to a server the maintainer runs.
    pub maintainer_server: bool,
    /// Self-run: messages or logs reach the maintainer (so "we do not see them" would be false).
    pub receives_messages: bool,
    /// Self-run: answered that nothing reaches the maintainer.
    pub receives_nothing: bool,
    /// Self-run: what reaches the maintainer is not answered (or "not sure").
    pub receives_open: bool,
    /// Internal: who can read the records the tool keeps (`docs.privacy.internal.readers.<code>`).
    pub readers: Option<String>,
}

/// Reads the shape from the answers.
pub fn read(k: &Knowledge, a: &Assessment) -> NoticeShape {
    let states = question_states(k, a);
    let delivery = meaning::delivery(k, &states).0;
    let chosen = meaning::chosen_options(k, &states);
    let is = |d: Delivery| delivery == Some(d);
    let is_personal = is(Delivery::Personal);
    let is_self_run = is(Delivery::SelfRun);
    let is_processor = is(Delivery::BusinessClients);
    let own_use: Vec<String> = if is_processor {
        PROCESSOR_OWN_PURPOSES
            .iter()
            .filter(|p| chosen.iter().any(|(_, o)| o.means.purpose == Some(**p)))
            .map(|p| p.code())
            .collect()
    } else {
        Vec::new()
    };
    let (receives, receives_nothing, receives_open) = if is_self_run {
        maintainer_receives(k, &states)
    } else {
        (Vec::new(), false, false)
    };
    let feature = |f: Feature| chosen.iter().any(|(_, o)| o.means.feature == Some(f));
    let telemetry_default_on = is_self_run && feature(Feature::TelemetryDefaultOn);
    let support_access = is_self_run && feature(Feature::SupportAccess);
    // Messages reach the maintainer for support, through a server it runs, or both.
    let relayed = chosen
        .iter()
        .any(|(_, o)| o.means.data == Some(DataCategory::Messages) && o.means.feature.is_none());
    let receives_keys = receives
        .iter()
        .map(|r| match r {
            Receives::Analytics if telemetry_default_on => Purpose::Analytics.code(),
            Receives::Analytics => format!("{}_opt_in", Purpose::Analytics.code()),
            Receives::Messages if support_access && relayed => "messages_both".to_string(),
            Receives::Messages if support_access => "messages_support".to_string(),
            Receives::Messages if relayed => "messages_relay".to_string(),
            other => meaning::code_of(other),
        })
        .collect();
    let maintainer_server = is_self_run
        && receives.iter().any(|r| {
            matches!(
                r,
                Receives::Identifiers | Receives::Logs | Receives::Analytics
            )
        })
        && chosen
            .iter()
            .any(|(_, o)| o.means.own == Some(RecipientKind::Logging));
    let readers = chosen
        .iter()
        .find_map(|(_, o)| o.means.readers)
        .map(meaning::Readers::code);
    NoticeShape {
        delivery: delivery.map(Delivery::code),
        is_personal,
        is_internal: is(Delivery::Internal),
        is_processor,
        is_self_run,
        is_user_notice: !is_personal && !is_self_run,
        has_own_use: !own_use.is_empty(),
        receives_messages: receives.contains(&Receives::Messages),
        own_use,
        receives,
        receives_keys,
        telemetry_default_on,
        support_access,
        maintainer_server,
        receives_nothing,
        receives_open,
        readers,
    }
}

/// What the question that `means: {answer: maintainer_receives}` says: (what reaches the
/// maintainer, nothing does, not answered).
fn maintainer_receives(k: &Knowledge, states: &[QState<'_>]) -> (Vec<Receives>, bool, bool) {
    let mut out = Vec::new();
    for (qi, q) in k.questionnaire.questions.iter().enumerate() {
        if q.means != Some(AnswerMeaning::MaintainerReceives) {
            continue;
        }
        let ids: Vec<&str> = match states.get(qi) {
            Some(QState::Given(Value::Choices(cs))) if cs.iter().all(|c| c != NOT_SURE) => {
                cs.iter().map(String::as_str).collect()
            }
            Some(QState::Given(Value::Choice(c))) if c != NOT_SURE => vec![c.as_str()],
            Some(QState::Hidden) => continue,
            _ => return (Vec::new(), false, true),
        };
        let options: Vec<_> = ids.iter().filter_map(|id| q.option(id)).collect();
        if !options.is_empty() && options.iter().all(|o| o.exclusive) {
            return (Vec::new(), true, false);
        }
        for o in options {
            let m = &o.means;
            let r = match (m.data, m.purpose, &m.recipient) {
                (Some(DataCategory::Identifiers), _, _) => Some(Receives::Identifiers),
                (Some(DataCategory::Logs), _, _) => Some(Receives::Logs),
                (Some(DataCategory::Messages), _, _) => Some(Receives::Messages),
                (_, Some(Purpose::Analytics), _) => Some(Receives::Analytics),
                (_, _, Some(r)) if r.kind == RecipientKind::AnalyticsSdk => Some(Receives::Vendor),
                _ if m.feature == Some(Feature::SupportAccess) => Some(Receives::Remote),
                _ => None,
            };
            if let Some(r) = r
                && !out.contains(&r)
            {
                out.push(r);
            }
        }
    }
    out.sort();
    (out, false, false)
}
