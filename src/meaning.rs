//! Meanings as data: the closed vocabulary an option (or a question) declares under `means:`, and
//! what the engine derives from the answers through it — the agent's jurisdictions, its recipients
//! with their locations, its delivery shape, minors bands and data categories. Documents, the
//! data-flow view and conditions read these, never a question id (`../shared/STYLE.md` 10b).
//!
//! Every derived value is three-valued like the condition language: a question that carries a
//! meaning and is unanswered (or "not sure") makes it unknown; a hidden question makes it false; a
//! meaning no question carries is false (the questionnaire does not ask it).

use serde::{Deserialize, Serialize};

use crate::condition::{QState, Tri};
use crate::model::{FactValue, Knowledge, NOT_SURE, Question, Value};

/// Declares `ALL` and `code()` for a vocabulary enum. The codes come from serde's own names, so
/// the vocabulary is spelled once, in the enum, and never as a string literal.
macro_rules! vocabulary {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $v:ident),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vm])* $v),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$v),+];

            /// The YAML spelling.
            pub fn code(self) -> String {
                code_of(&self)
            }

            /// The value with this YAML spelling.
            pub fn parse(s: &str) -> Option<$name> {
                Self::ALL.iter().copied().find(|v| v.code() == s)
            }

            /// Every spelling, for hints.
            pub fn codes() -> String {
                Self::ALL.iter().map(|v| v.code()).collect::<Vec<_>>().join(", ")
            }
        }
    };
}

/// A unit variant's serde name.
pub fn code_of<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|j| j.as_str().map(str::to_string))
        .unwrap_or_default()
}

vocabulary! {
    /// A place: where users are, where the developer or the servers are, where a recipient
    /// processes data.
    Location { CnMainland, HkMoTw, Eu, Uk, Us, Other }
}

vocabulary! {
    /// A legal order an agent can be under (`jurisdiction:` conditions). `Cn` is PIPL's reach
    /// (users in mainland China or processing there, PIPL Art 3); `CnPublic` is a service offered to
    /// the public in mainland China (the generative-AI measures, Art 2).
    Jurisdiction { Cn, CnPublic, HkMoTw, Eu, Uk, Us }
}

vocabulary! {
    /// Where a law reference applies (`jurisdiction:` in `catalog/references.yaml`). `CnPublic`:
    /// rules for services offered to the public in mainland China (the generative-AI measures,
    /// deep synthesis, labelling, algorithm filing).
    LawJurisdiction { Cn, CnPublic, HkMoTw, Eu, Uk, Us, UsCa, Global }
}

vocabulary! {
    /// What kind of party receives the users' data (or, under `own:`, a part the developer runs).
    RecipientKind {
        ModelProvider, Platform, Channel, Hosting, Database, Storage, Logging, AnalyticsSdk,
        Payment, Email,
    }
}

vocabulary! {
    /// How the agent reaches its users.
    Delivery { Hosted, SelfRun, Personal, Internal, BusinessClients }
}

vocabulary! {
    /// A category of personal data.
    DataCategory {
        Messages, Contact, Identifiers, Account, Location, Health, Financial, Biometric,
        IdDocuments, Beliefs, Uploads, Children, VoiceFace, Logs, Credentials, Employment,
        Inferred,
    }
}

vocabulary! {
    /// How the law treats a data category: PIPL Art 28 sensitive, GDPR Art 9 special (which is
    /// also sensitive), children's data (PIPL Art 28/31), or ordinary.
    Sensitivity { None, Sensitive, Special, Children }
}

vocabulary! {
    /// The youngest users who may use the agent, in the bands the laws use: COPPA < 13, PIPL
    /// Art 31 < 14, GDPR Art 8 < 16, Chinese minors' rules < 18. `Unknown`: minors may use it, age
    /// not known.
    MinorsBand {
        #[serde(rename = "under_13")] Under13,
        #[serde(rename = "under_14")] Under14,
        #[serde(rename = "under_16")] Under16,
        #[serde(rename = "under_18")] Under18,
        Adults,
        Unknown,
    }
}

vocabulary! {
    /// The developer's role for the users' data.
    Role { Controller, Processor }
}

vocabulary! {
    /// A trait of the agent the documents branch on.
    Feature {
        Accounts, HistorySession, HistoryPersistent, LongTermMemory, Logs, KnowledgeBase,
        AutomatedDecisions, Persona, GeneratesMedia, LabelsAiContent, PublicAccess, NonUsers,
        PublishesAboutPeople, Companion, MadeForChildren, ClientsData,
        TelemetryDefaultOn, SupportAccess, WritesCode, ProcessesItems, CreatesContent,
        ScreensPeople, AgeVerified, GradesWork, MovesMoney, ModeratesPeople, LabelsSomeAiContent,
    }
}

vocabulary! {
    /// A use of the users' data beyond answering them.
    Purpose { Analytics, Marketing, TrainOwn, SharePartners }
}

vocabulary! {
    /// A right users can exercise themselves in the product.
    SelfServiceRight { View, Export, Correct, DeleteHistory, DeleteAccount }
}

vocabulary! {
    /// Where a tool acts: on the developer's own machine or data, or on an outside service.
    ToolReach { Local, External }
}

vocabulary! {
    /// The tests of the `recipients:` condition form.
    ShapeKey { LocatedOutside, LocationUnknown, KnownOutside }
}

vocabulary! {
    /// Who can read the records (logs, history) the agent keeps (`readers:`): its developer
    /// alone, the team that runs it, the business clients (each their own users'), or people
    /// outside those.
    Readers { Developer, Team, Clients, Outsiders }
}

vocabulary! {
    /// An area in which the agent gives advice people may act on (`advice:`): the notice says it is
    /// no professional there (health, legal, financial) or points to crisis help (mental health).
    Advice { Health, Legal, Financial, MentalHealth }
}

vocabulary! {
    /// What an option says of a recipient's name (`recipient: {name: unnamed}`): the option
    /// stands for a party the answer does not name ("another provider"), so its label is no name
    /// a document may show.
    RecipientName { Unnamed }
}

vocabulary! {
    /// What a question's whole answer is (question-level `means:`).
    AnswerMeaning { AgentName, Retention, MaintainerReceives }
}

/// A recipient named by an option: its kind and id (the option's `provider:` supplies the id when
/// `id:` is left out).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecipientMeaning {
    pub kind: RecipientKind,
    pub id: Option<String>,
    #[serde(default)]
    pub name: Option<RecipientName>,
}

/// What one option means. Every field is optional; an option may carry several.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Means {
    pub users_in: Option<Location>,
    pub location: Option<Location>,
    pub recipient: Option<RecipientMeaning>,
    pub own: Option<RecipientKind>,
    pub delivery: Option<Delivery>,
    pub data: Option<DataCategory>,
    pub sensitivity: Option<Sensitivity>,
    pub minors: Option<MinorsBand>,
    pub role: Option<Role>,
    pub feature: Option<Feature>,
    pub purpose: Option<Purpose>,
    pub right: Option<SelfServiceRight>,
    pub tool: Option<ToolReach>,
    pub readers: Option<Readers>,
    pub advice: Option<Advice>,
}

/// What a question's whole answer means (question-level `means:`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct QuestionMeans {
    pub answer: Option<AnswerMeaning>,
    /// For a yes/no question: what its generated `yes` option means.
    pub yes: Option<Means>,
    /// The chosen option's `location:` is where the recipients named by this (earlier) question
    /// process data.
    pub locates: Option<String>,
    /// On a `retention` question: the chosen option is how long the recipients named by this
    /// (earlier) question keep the users' data, instead of how long conversations are kept.
    pub retains: Option<String>,
}

impl Means {
    pub fn is_empty(&self) -> bool {
        *self == Means::default()
    }
}

/// A test on the derived shape: the leaf of the new condition forms.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum ShapeTest {
    Jurisdiction(Jurisdiction),
    /// Some recipient is known to process data outside this place.
    LocatedOutside(Location),
    /// Some recipient's location is unknown (`true`), or none is (`false`).
    LocationUnknown(bool),
    /// Some recipient is known to process data outside this place; a recipient whose location
    /// is unknown counts as not outside (the find-out threat on `location_unknown` covers it), so
    /// only open questions leave it unknown.
    KnownOutside(Location),
    /// The delivery shape is one of these (a bit per `Delivery` index).
    Delivery(u32),
    /// Users this young (or younger) may use the agent.
    Minors(MinorsBand),
    /// Some chosen option carries this data category.
    Data(DataCategory),
}

/// The outcome of a shape test: its value, the answered questions behind it and the unanswered
/// ones that would decide it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Judged {
    pub value: Option<bool>,
    pub support: Vec<usize>,
    pub unknowns: Vec<usize>,
}

impl Judged {
    pub fn tri(&self) -> Tri {
        match self.value {
            Some(true) => Tri::True,
            Some(false) => Tri::False,
            None => Tri::Unknown,
        }
    }

    fn from_tri(t: Tri, support: Vec<usize>, unknowns: Vec<usize>) -> Judged {
        let value = match t {
            Tri::True => Some(true),
            Tri::False => Some(false),
            Tri::Unknown => None,
        };
        Judged {
            value,
            support,
            unknowns,
        }
    }

    fn or(self, other: Judged) -> Judged {
        self.join(other, Tri::True)
    }

    fn and(self, other: Judged) -> Judged {
        self.join(other, Tri::False)
    }

    /// Kleene join; only the parts that produced a dominant result explain it.
    fn join(self, other: Judged, dominant: Tri) -> Judged {
        let (a, b) = (self.tri(), other.tri());
        if a == dominant || b == dominant {
            let mut support = Vec::new();
            if a == dominant {
                support.extend(self.support);
            }
            if b == dominant {
                support.extend(other.support);
            }
            return Judged::from_tri(dominant, support, Vec::new());
        }
        let mut support = self.support;
        support.extend(other.support);
        let mut unknowns = self.unknowns;
        unknowns.extend(other.unknowns);
        let value = if a == Tri::Unknown || b == Tri::Unknown {
            Tri::Unknown
        } else {
            !dominant
        };
        Judged::from_tri(value, support, unknowns)
    }
}

/// The chosen options of a visible, answered question, or why there are none.
enum Chosen<'a> {
    Hidden,
    /// Unanswered, or answered "not sure" (alone or among others: `not_sure` is exclusive).
    Open,
    Options(Vec<&'a str>),
}

fn chosen<'a>(k: &Knowledge, states: &[QState<'a>], q: usize) -> Chosen<'a> {
    // A retired question is hidden for every meaning, whatever the states say.
    if k.questionnaire
        .questions
        .get(q)
        .is_some_and(Question::is_retired)
    {
        return Chosen::Hidden;
    }
    match states.get(q) {
        Some(QState::Hidden) => Chosen::Hidden,
        None | Some(QState::Unanswered | QState::NotSure) => Chosen::Open,
        Some(QState::Given(v)) => match v {
            Value::Choice(c) if c == NOT_SURE => Chosen::Open,
            Value::Choice(c) => Chosen::Options(vec![c.as_str()]),
            Value::Choices(cs) if cs.iter().any(|c| c == NOT_SURE) => Chosen::Open,
            Value::Choices(cs) => Chosen::Options(cs.iter().map(String::as_str).collect()),
            Value::Number(_) | Value::Text(_) => Chosen::Options(Vec::new()),
        },
    }
}

/// "Some chosen option satisfies `pred`", over every question with an option carrying `has` —
/// true, false, or unknown while such a question that could satisfy it is open.
fn any_option(
    k: &Knowledge,
    states: &[QState<'_>],
    has: impl Fn(&Means) -> bool,
    pred: impl Fn(&Means) -> bool,
) -> Judged {
    any_option_of(k, states, |_| true, has, pred)
}

/// `any_option` over the questions `asks` accepts.
fn any_option_of(
    k: &Knowledge,
    states: &[QState<'_>],
    asks: impl Fn(&Question) -> bool,
    has: impl Fn(&Means) -> bool,
    pred: impl Fn(&Means) -> bool,
) -> Judged {
    let mut out = Judged::from_tri(Tri::False, Vec::new(), Vec::new());
    for (qi, q) in k.questionnaire.questions.iter().enumerate() {
        if !asks(q) || !q.options.iter().any(|o| has(&o.means)) {
            continue;
        }
        let could = q.options.iter().any(|o| pred(&o.means));
        let part = match chosen(k, states, qi) {
            Chosen::Hidden => Judged::from_tri(Tri::False, vec![qi], Vec::new()),
            Chosen::Open if could => Judged::from_tri(Tri::Unknown, Vec::new(), vec![qi]),
            Chosen::Open => Judged::from_tri(Tri::False, Vec::new(), Vec::new()),
            Chosen::Options(ids) => {
                let hit = ids
                    .iter()
                    .any(|id| q.option(id).is_some_and(|o| pred(&o.means)));
                Judged::from_tri(Tri::from(hit), vec![qi], Vec::new())
            }
        };
        out = out.or(part);
    }
    out
}

/// Users are in this place.
pub fn users_in(k: &Knowledge, states: &[QState<'_>], place: Location) -> Judged {
    any_option(
        k,
        states,
        |m| m.users_in.is_some(),
        |m| m.users_in == Some(place),
    )
}

/// The developer or the servers are in this place (a `location:` not tied to a recipient, on a
/// question that does not locate another question's recipients).
pub fn processing_in(k: &Knowledge, states: &[QState<'_>], place: Location) -> Judged {
    any_option_of(
        k,
        states,
        |q| q.locates.is_none(),
        |m| m.location.is_some() && m.recipient.is_none(),
        |m| m.location == Some(place) && m.recipient.is_none(),
    )
}

/// The delivery shape decides `delivery:` tests: the first question in questionnaire order that
/// carries `delivery:` meanings and is answered decides it (so a dedicated delivery question asked
/// first wins over one that implies it); unknown while none is answered and one is open.
pub fn delivery(k: &Knowledge, states: &[QState<'_>]) -> (Option<Delivery>, Judged) {
    let mut open = Vec::new();
    let mut hidden = Vec::new();
    for (qi, q) in k.questionnaire.questions.iter().enumerate() {
        if !q.options.iter().any(|o| o.means.delivery.is_some()) {
            continue;
        }
        match chosen(k, states, qi) {
            Chosen::Hidden => hidden.push(qi),
            Chosen::Open => open.push(qi),
            Chosen::Options(ids) => {
                if let Some(d) = ids
                    .iter()
                    .find_map(|id| q.option(id).and_then(|o| o.means.delivery))
                {
                    return (Some(d), Judged::from_tri(Tri::True, vec![qi], Vec::new()));
                }
            }
        }
    }
    if open.is_empty() {
        (None, Judged::from_tri(Tri::False, hidden, Vec::new()))
    } else {
        (None, Judged::from_tri(Tri::Unknown, Vec::new(), open))
    }
}

fn delivery_is(k: &Knowledge, states: &[QState<'_>], mask: u32) -> Judged {
    let (d, j) = delivery(k, states);
    match d {
        Some(d) => {
            let hit = mask & (1 << delivery_bit(d)) != 0;
            Judged::from_tri(Tri::from(hit), j.support, Vec::new())
        }
        None => j,
    }
}

/// The bit of a delivery shape in a `ShapeTest::Delivery` mask.
pub fn delivery_bit(d: Delivery) -> u32 {
    u32::try_from(Delivery::ALL.iter().position(|x| *x == d).unwrap_or(0)).unwrap_or(0)
}

/// The agent is under this jurisdiction.
pub fn jurisdiction(k: &Knowledge, states: &[QState<'_>], j: Jurisdiction) -> Judged {
    let both = |place| users_in(k, states, place).or(processing_in(k, states, place));
    match j {
        Jurisdiction::Cn => both(Location::CnMainland),
        Jurisdiction::CnPublic => users_in(k, states, Location::CnMainland).and(delivery_is(
            k,
            states,
            1 << delivery_bit(Delivery::Hosted),
        )),
        Jurisdiction::HkMoTw => users_in(k, states, Location::HkMoTw),
        Jurisdiction::Eu => both(Location::Eu),
        Jurisdiction::Uk => both(Location::Uk),
        Jurisdiction::Us => users_in(k, states, Location::Us),
    }
}

/// A party that receives the users' data.
#[derive(Clone, Debug, PartialEq)]
pub struct Recipient {
    /// The recipient id (the provider id, or the option's `recipient: {id}`, or the option id).
    pub id: String,
    pub kind: RecipientKind,
    /// Index into `Catalog::providers` when the option links one.
    pub provider: Option<usize>,
    /// The question and option that named it.
    pub question: usize,
    pub option: usize,
    /// A location stated by an answer (it overrides the provider's facts).
    pub stated: Option<(Location, usize)>,
    pub outside_cn: FactValue,
    pub outside_eu: FactValue,
}

impl Recipient {
    /// Whether it processes data outside `place`: a stated location decides; otherwise the
    /// provider's sourced facts (only mainland China and the EU have one); otherwise unknown.
    pub fn is_outside(&self, place: Location) -> Tri {
        if let Some((at, _)) = self.stated {
            return Tri::from(at != place);
        }
        let fact = match place {
            Location::CnMainland => self.outside_cn,
            Location::Eu => self.outside_eu,
            _ => FactValue::Unknown,
        };
        match fact {
            FactValue::Yes => Tri::True,
            FactValue::No => Tri::False,
            FactValue::Unknown => Tri::Unknown,
        }
    }

    /// Nothing says where it processes data.
    pub fn is_location_unknown(&self) -> bool {
        self.stated.is_none()
            && self.outside_cn == FactValue::Unknown
            && self.outside_eu == FactValue::Unknown
    }
}

fn fact(k: &Knowledge, provider: Option<usize>, id: &str) -> FactValue {
    provider
        .and_then(|p| {
            let f = *k.catalog.fact_by_id.get(id)?;
            k.catalog.providers[p].facts.get(f).map(|f| f.value)
        })
        .unwrap_or(FactValue::Unknown)
}

/// The fact ids of `catalog/providers.yaml` that say where a provider processes data.
pub const FACT_OUTSIDE_CN: &str = "processes_outside_mainland_china";
pub const FACT_OUTSIDE_EU: &str = "processes_outside_eu";

/// The recipients the answers name, in questionnaire order, one per id; and the open questions
/// that could name more.
pub fn recipients(k: &Knowledge, states: &[QState<'_>]) -> (Vec<Recipient>, Vec<usize>) {
    let mut out: Vec<Recipient> = Vec::new();
    let mut open = Vec::new();
    let mut overrides = Vec::new();
    // (located question, place, locating question)
    let mut located = Vec::new();
    for (qi, q) in k.questionnaire.questions.iter().enumerate() {
        if let Some(target) = q.locates {
            if let Chosen::Options(ids) = chosen(k, states, qi)
                && let Some(place) = ids
                    .iter()
                    .find_map(|id| q.option(id).and_then(|o| o.means.location))
            {
                located.push((target, place, qi));
            }
            continue;
        }
        if !q.options.iter().any(|o| o.means.recipient.is_some()) {
            continue;
        }
        let ids = match chosen(k, states, qi) {
            Chosen::Hidden => continue,
            Chosen::Open => {
                open.push(qi);
                continue;
            }
            Chosen::Options(ids) => ids,
        };
        for id in ids {
            let Some(oi) = q.option_index(id) else {
                continue;
            };
            let o = &q.options[oi];
            let Some(r) = &o.means.recipient else {
                continue;
            };
            let rid =
                r.id.clone()
                    .or_else(|| o.provider.map(|p| k.catalog.providers[p].id.clone()))
                    .unwrap_or_else(|| o.id.clone());
            if let Some(place) = o.means.location {
                overrides.push((rid, place, qi, oi, r.kind, o.provider));
                continue;
            }
            if out.iter().any(|x| x.id == rid) {
                continue;
            }
            out.push(Recipient {
                id: rid,
                kind: r.kind,
                provider: o.provider,
                question: qi,
                option: oi,
                stated: None,
                outside_cn: fact(k, o.provider, FACT_OUTSIDE_CN),
                outside_eu: fact(k, o.provider, FACT_OUTSIDE_EU),
            });
        }
    }
    for (target, place, qi) in located {
        for r in out.iter_mut().filter(|r| r.question == target) {
            r.stated = Some((place, qi));
        }
    }
    // An option that locates one named recipient is more specific: it wins.
    for (rid, place, qi, oi, kind, provider) in overrides {
        if let Some(r) = out.iter_mut().find(|r| r.id == rid) {
            r.stated = Some((place, qi));
        } else {
            // An option that names a recipient and where it is (a vendor in a region) is that
            // recipient, when no other answer named it.
            out.push(Recipient {
                id: rid,
                kind,
                provider,
                question: qi,
                option: oi,
                stated: Some((place, qi)),
                outside_cn: fact(k, provider, FACT_OUTSIDE_CN),
                outside_eu: fact(k, provider, FACT_OUTSIDE_EU),
            });
        }
    }
    (out, open)
}

fn recipients_test(
    k: &Knowledge,
    states: &[QState<'_>],
    pred: impl Fn(&Recipient) -> Tri,
) -> Judged {
    let (rs, open) = recipients(k, states);
    let mut support = Vec::new();
    let mut unknown = false;
    let mut unknown_support = Vec::new();
    for r in &rs {
        let mut qs = vec![r.question];
        if let Some((_, q)) = r.stated {
            qs.push(q);
        }
        match pred(r) {
            Tri::True => return Judged::from_tri(Tri::True, qs, Vec::new()),
            Tri::Unknown => {
                unknown = true;
                unknown_support.extend(qs);
            }
            Tri::False => support.extend(qs),
        }
    }
    if unknown || !open.is_empty() {
        support.extend(unknown_support);
        Judged::from_tri(Tri::Unknown, support, open)
    } else {
        Judged::from_tri(Tri::False, support, Vec::new())
    }
}

fn band_rank(b: MinorsBand) -> usize {
    MinorsBand::ALL.iter().position(|x| *x == b).unwrap_or(0)
}

/// Evaluates one shape test.
pub fn judge(k: &Knowledge, states: &[QState<'_>], test: ShapeTest) -> Judged {
    match test {
        ShapeTest::Jurisdiction(j) => jurisdiction(k, states, j),
        ShapeTest::LocatedOutside(place) => recipients_test(k, states, |r| r.is_outside(place)),
        ShapeTest::KnownOutside(place) => {
            recipients_test(k, states, |r| match r.is_outside(place) {
                Tri::Unknown => Tri::False,
                known => known,
            })
        }
        ShapeTest::LocationUnknown(want) => {
            let j = recipients_test(k, states, |r| Tri::from(r.is_location_unknown()));
            if want {
                j
            } else {
                Judged {
                    value: j.value.map(|v| !v),
                    ..j
                }
            }
        }
        ShapeTest::Delivery(mask) => delivery_is(k, states, mask),
        ShapeTest::Minors(band) => {
            let limit = band_rank(band);
            let j = any_option(
                k,
                states,
                |m| m.minors.is_some(),
                |m| {
                    m.minors
                        .is_some_and(|b| b != MinorsBand::Unknown && band_rank(b) <= limit)
                },
            );
            // "Minors may use it, age not known" cannot rule a band out.
            let vague = any_option(
                k,
                states,
                |m| m.minors.is_some(),
                |m| m.minors == Some(MinorsBand::Unknown),
            );
            if j.value == Some(false) && vague.value == Some(true) && band != MinorsBand::Adults {
                Judged::from_tri(Tri::Unknown, vague.support.clone(), vague.support)
            } else {
                j
            }
        }
        ShapeTest::Data(cat) => {
            any_option(k, states, |m| m.data.is_some(), |m| m.data == Some(cat))
        }
    }
}

/// What the answers say about the agent's shape, for documents and outputs.
#[derive(Clone, Debug, PartialEq)]
pub struct Shape {
    pub jurisdictions: Vec<(Jurisdiction, Tri)>,
    pub recipients: Vec<Recipient>,
    /// Questions that could still name recipients.
    pub recipients_open: Vec<usize>,
    pub delivery: Option<Delivery>,
    /// The bands chosen (the youngest first).
    pub minors: Vec<MinorsBand>,
    pub data: Vec<DataCategory>,
}

impl Shape {
    pub fn jurisdiction(&self, j: Jurisdiction) -> Tri {
        self.jurisdictions
            .iter()
            .find(|(x, _)| *x == j)
            .map_or(Tri::Unknown, |(_, t)| *t)
    }
}

/// Every chosen option of a visible answered question, with its question: the raw material the
/// documents read meanings from.
pub fn chosen_options<'k>(
    k: &'k Knowledge,
    states: &[QState<'_>],
) -> Vec<(usize, &'k crate::model::Choice)> {
    let mut out = Vec::new();
    for (qi, q) in k.questionnaire.questions.iter().enumerate() {
        if let Chosen::Options(ids) = chosen(k, states, qi) {
            for id in ids {
                if let Some(o) = q.option(id) {
                    out.push((qi, o));
                }
            }
        }
    }
    out
}

/// How long the recipients named by question `question` keep the users' data: the chosen option
/// of a visible `retention` question that `retains:` it (the first such question answered), with
/// that question's index.
pub fn kept_by<'k>(
    k: &'k Knowledge,
    states: &[QState<'_>],
    question: usize,
) -> Option<(usize, &'k crate::model::Choice)> {
    k.questionnaire
        .questions
        .iter()
        .enumerate()
        .filter(|(_, q)| q.means == Some(AnswerMeaning::Retention) && q.retains == Some(question))
        .find_map(|(qi, q)| match chosen(k, states, qi) {
            Chosen::Options(ids) => ids.first().and_then(|id| q.option(id)).map(|o| (qi, o)),
            _ => None,
        })
}

/// Whether some question carrying options with this meaning is still open (unanswered or not
/// sure), so a document cannot tell yet.
pub fn is_open(k: &Knowledge, states: &[QState<'_>], has: impl Fn(&Means) -> bool) -> bool {
    k.questionnaire.questions.iter().enumerate().any(|(qi, q)| {
        q.options.iter().any(|o| has(&o.means)) && matches!(chosen(k, states, qi), Chosen::Open)
    })
}

/// Derives the shape from question states (see `evaluate::shape` for an assessment).
pub fn derive(k: &Knowledge, states: &[QState<'_>]) -> Shape {
    let jurisdictions = Jurisdiction::ALL
        .iter()
        .map(|&j| (j, jurisdiction(k, states, j).tri()))
        .collect();
    let (recipients, recipients_open) = recipients(k, states);
    let chosen = chosen_options(k, states);
    let mut minors: Vec<MinorsBand> = chosen.iter().filter_map(|(_, o)| o.means.minors).collect();
    minors.sort();
    minors.dedup();
    let mut data: Vec<DataCategory> = chosen.iter().filter_map(|(_, o)| o.means.data).collect();
    data.dedup();
    Shape {
        jurisdictions,
        recipients,
        recipients_open,
        delivery: delivery(k, states).0,
        minors,
        data,
    }
}
