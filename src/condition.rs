//! The condition language (`all` / `any` / `not` over answer tests and provider facts) and its
//! three-valued evaluation with a trace: which answers made a condition true, or which unanswered
//! questions would decide it.

use serde::{Deserialize, Serialize};

use crate::model::{FactValue, Knowledge, NOT_SURE, Value};

/// Kleene three-valued truth.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Tri {
    True,
    False,
    Unknown,
}

impl Tri {
    /// Kleene negation (unknown stays unknown).
    #[must_use]
    pub fn not_tri(self) -> Tri {
        !self
    }
}

impl std::ops::Not for Tri {
    type Output = Tri;
    fn not(self) -> Tri {
        match self {
            Tri::True => Tri::False,
            Tri::False => Tri::True,
            Tri::Unknown => Tri::Unknown,
        }
    }
}

impl From<bool> for Tri {
    fn from(b: bool) -> Tri {
        if b { Tri::True } else { Tri::False }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Test {
    /// The single/yes-no answer is one of these options (a bit per option index).
    Is(u64),
    /// One of these options (a bit per option index) is among the multiple-choice answers.
    Includes(u64),
    Answered(bool),
    Gte(f64),
    Lt(f64),
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Condition {
    All(Vec<Condition>),
    Any(Vec<Condition>),
    Not(Box<Condition>),
    /// A test on the answer to the question with this index.
    Answer {
        question: usize,
        test: Test,
    },
    /// Some provider chosen in this question has the fact (index into `Catalog::facts`) = yes.
    ProviderFact {
        question: usize,
        fact: usize,
    },
    /// A test on what the answers mean (`jurisdiction:`, `recipients:`, `delivery:`, `minors:`,
    /// `data:`; see `crate::meaning`).
    Shape(crate::meaning::ShapeTest),
}

/// The state of one question for evaluation.
#[derive(Clone, Debug, PartialEq)]
pub enum QState<'a> {
    /// Hidden by `show_when`: not applicable, every test on it is false.
    Hidden,
    Unanswered,
    NotSure,
    Given(&'a Value),
}

/// What made a condition come out as it did.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Leaf {
    Answer {
        question: usize,
    },
    ProviderFact {
        question: usize,
        provider: usize,
        fact: usize,
        value: FactValue,
    },
}

/// The outcome of evaluating a condition: its value, the leaves that support it (for `True` and
/// `False`), and the questions whose answers would decide it (for `Unknown`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Trace {
    pub support: Vec<Leaf>,
    pub unknowns: Vec<usize>,
}

pub struct Evaluator<'a> {
    pub knowledge: &'a Knowledge,
    pub states: &'a [QState<'a>],
    /// For each question, the chosen options as bits (see [`answer_mask`]).
    pub masks: &'a [u64],
}

/// The chosen options of an answer as a bit per option index (questions have at most 64).
pub fn answer_mask(q: &crate::model::Question, value: &Value) -> u64 {
    let bit = |id: &str| q.option_index(id).map_or(0, |i| 1u64 << (i & 63));
    match value {
        Value::Choice(c) => bit(c),
        Value::Choices(cs) => cs.iter().fold(0, |m, c| m | bit(c)),
        Value::Number(_) | Value::Text(_) => 0,
    }
}

impl Evaluator<'_> {
    /// The value alone, without a trace and without allocating: most threats do not apply, and
    /// this pass decides that cheaply; `eval` then explains the ones that do.
    pub fn value(&self, cond: &Condition) -> Tri {
        match cond {
            Condition::All(parts) => {
                let mut unknown = false;
                for p in parts {
                    match self.value(p) {
                        Tri::False => return Tri::False,
                        Tri::Unknown => unknown = true,
                        Tri::True => {}
                    }
                }
                if unknown { Tri::Unknown } else { Tri::True }
            }
            Condition::Any(parts) => {
                let mut unknown = false;
                for p in parts {
                    match self.value(p) {
                        Tri::True => return Tri::True,
                        Tri::Unknown => unknown = true,
                        Tri::False => {}
                    }
                }
                if unknown { Tri::Unknown } else { Tri::False }
            }
            Condition::Not(inner) => self.value(inner).not_tri(),
            Condition::Answer { question, test } => self.eval_answer(*question, test),
            Condition::ProviderFact { question, fact } => {
                self.eval_provider_fact(*question, *fact, &mut Trace::default())
            }
            Condition::Shape(t) => crate::meaning::judge(self.knowledge, self.states, *t).tri(),
        }
    }

    /// A shape test with its trace: the answers behind it, or the open questions.
    fn eval_shape(&self, t: crate::meaning::ShapeTest, trace: &mut Trace) -> Tri {
        let j = crate::meaning::judge(self.knowledge, self.states, t);
        let v = j.tri();
        trace.support.extend(
            j.support
                .into_iter()
                .map(|question| Leaf::Answer { question }),
        );
        trace.unknowns.extend(j.unknowns);
        v
    }

    pub fn eval(&self, cond: &Condition, trace: &mut Trace) -> Tri {
        match cond {
            Condition::All(parts) => self.eval_join(parts, Tri::False, trace),
            Condition::Any(parts) => self.eval_join(parts, Tri::True, trace),
            Condition::Not(inner) => self.eval(inner, trace).not_tri(),
            Condition::Answer { question, test } => {
                let v = self.eval_answer(*question, test);
                match v {
                    Tri::Unknown => trace.unknowns.push(*question),
                    _ => trace.support.push(Leaf::Answer {
                        question: *question,
                    }),
                }
                v
            }
            Condition::ProviderFact { question, fact } => {
                self.eval_provider_fact(*question, *fact, trace)
            }
            Condition::Shape(t) => self.eval_shape(*t, trace),
        }
    }

    /// `all` (dominant = False) and `any` (dominant = True): the dominant value wins and only the
    /// parts that produced it explain the result; otherwise unknown if any part is unknown.
    fn eval_join(&self, parts: &[Condition], dominant: Tri, trace: &mut Trace) -> Tri {
        let mut dominant_trace = Trace::default();
        let mut rest = Trace::default();
        let mut seen_dominant = false;
        let mut seen_unknown = false;
        for p in parts {
            let mut t = Trace::default();
            let v = self.eval(p, &mut t);
            if v == dominant {
                seen_dominant = true;
                dominant_trace.support.extend(t.support);
            } else {
                if v == Tri::Unknown {
                    seen_unknown = true;
                }
                rest.support.extend(t.support);
                rest.unknowns.extend(t.unknowns);
            }
        }
        if seen_dominant {
            trace.support.extend(dominant_trace.support);
            dominant
        } else if seen_unknown {
            trace.support.extend(rest.support);
            trace.unknowns.extend(rest.unknowns);
            Tri::Unknown
        } else {
            trace.support.extend(rest.support);
            dominant.not_tri()
        }
    }

    fn eval_answer(&self, question: usize, test: &Test) -> Tri {
        let state = &self.states[question];
        if let Test::Answered(want) = test {
            let given = matches!(state, QState::NotSure | QState::Given(_));
            return Tri::from(given == *want);
        }
        match state {
            QState::Hidden => Tri::False,
            QState::Unanswered | QState::NotSure => Tri::Unknown,
            QState::Given(value) => match (test, value) {
                (Test::Is(mask), Value::Choice(_)) | (Test::Includes(mask), Value::Choices(_)) => {
                    Tri::from(self.masks[question] & mask != 0)
                }
                (Test::Gte(n), Value::Number(v)) => Tri::from(*v >= *n),
                (Test::Lt(n), Value::Number(v)) => Tri::from(*v < *n),
                // Validation guarantees tests suit their question's kind; a value of another
                // kind cannot be judged, so it decides nothing.
                _ => Tri::Unknown,
            },
        }
    }

    fn eval_provider_fact(&self, question: usize, fact: usize, trace: &mut Trace) -> Tri {
        let chosen: Vec<&str> = match &self.states[question] {
            QState::Hidden => {
                trace.support.push(Leaf::Answer { question });
                return Tri::False;
            }
            QState::Given(Value::Choice(c)) => vec![c.as_str()],
            QState::Given(Value::Choices(cs)) => cs.iter().map(String::as_str).collect(),
            QState::Unanswered | QState::NotSure | QState::Given(_) => {
                trace.unknowns.push(question);
                return Tri::Unknown;
            }
        };
        let q = &self.knowledge.questionnaire.questions[question];
        let mut yes = Vec::new();
        let mut maybe = Vec::new();
        let mut no = Vec::new();
        let mut unlisted = false;
        for id in chosen {
            if id == NOT_SURE {
                unlisted = true;
                continue;
            }
            let Some(provider) = q.option(id).and_then(|o| o.provider) else {
                unlisted = true;
                continue;
            };
            let value = self.knowledge.catalog.providers[provider].facts[fact].value;
            let leaf = Leaf::ProviderFact {
                question,
                provider,
                fact,
                value,
            };
            match value {
                FactValue::Yes => yes.push(leaf),
                FactValue::Unknown => maybe.push(leaf),
                FactValue::No => no.push(leaf),
            }
        }
        if !yes.is_empty() {
            trace.support.extend(yes);
            Tri::True
        } else if !maybe.is_empty() || unlisted {
            // A provider whose fact is unknown "may": the finding is possible, and the leaf says
            // which provider, so the output can show the fact as unknown with its source.
            trace.support.extend(maybe);
            if unlisted {
                trace.unknowns.push(question);
            }
            Tri::Unknown
        } else {
            trace.support.extend(no);
            Tri::False
        }
    }
}

impl Condition {
    /// Every question index the condition reads, for validation and for ordering checks.
    pub fn questions(&self, out: &mut Vec<usize>) {
        match self {
            Condition::All(ps) | Condition::Any(ps) => ps.iter().for_each(|p| p.questions(out)),
            Condition::Not(p) => p.questions(out),
            Condition::Answer { question, .. } | Condition::ProviderFact { question, .. } => {
                out.push(*question);
            }
            Condition::Shape(_) => {}
        }
    }

    /// The always-true condition (an empty `all`).
    pub fn always() -> Condition {
        Condition::All(Vec::new())
    }
}

/// All threat conditions compiled into one contiguous array of small nodes. Evaluating a large
/// catalog then walks memory in order instead of chasing pointers through the threats' text, which
/// keeps evaluation time proportional to catalog size even when the catalog outgrows the cache.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Program {
    nodes: Vec<Node>,
    kids: Vec<u32>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Node {
    All { start: u32, len: u32 },
    Any { start: u32, len: u32 },
    Not(u32),
    Is { question: u32, mask: u64 },
    Includes { question: u32, mask: u64 },
    Answered { question: u32, want: bool },
    Gte { question: u32, n: f64 },
    Lt { question: u32, n: f64 },
    Fact { question: u32, fact: u32 },
    Shape(crate::meaning::ShapeTest),
}

fn idx(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl Program {
    /// Adds a condition; returns its root node.
    pub fn compile(&mut self, c: &Condition) -> u32 {
        let node = match c {
            Condition::All(ps) | Condition::Any(ps) => {
                let roots: Vec<u32> = ps.iter().map(|p| self.compile(p)).collect();
                let start = idx(self.kids.len());
                self.kids.extend(roots);
                let len = idx(ps.len());
                if matches!(c, Condition::All(_)) {
                    Node::All { start, len }
                } else {
                    Node::Any { start, len }
                }
            }
            Condition::Not(p) => Node::Not(self.compile(p)),
            Condition::Answer { question, test } => {
                let question = idx(*question);
                match *test {
                    Test::Is(mask) => Node::Is { question, mask },
                    Test::Includes(mask) => Node::Includes { question, mask },
                    Test::Answered(want) => Node::Answered { question, want },
                    Test::Gte(n) => Node::Gte { question, n },
                    Test::Lt(n) => Node::Lt { question, n },
                }
            }
            Condition::ProviderFact { question, fact } => Node::Fact {
                question: idx(*question),
                fact: idx(*fact),
            },
            Condition::Shape(t) => Node::Shape(*t),
        };
        self.nodes.push(node);
        idx(self.nodes.len() - 1)
    }
}

impl Evaluator<'_> {
    /// `eval` over a compiled condition: the value and its trace.
    pub fn run_traced(&self, p: &Program, root: u32, trace: &mut Trace) -> Tri {
        let node = p.nodes[root as usize];
        match node {
            Node::All { start, len } | Node::Any { start, len } => {
                let dominant = if matches!(node, Node::All { .. }) {
                    Tri::False
                } else {
                    Tri::True
                };
                let mut dominant_trace = Trace::default();
                let mut rest = Trace::default();
                let mut seen_dominant = false;
                let mut seen_unknown = false;
                for &k in &p.kids[start as usize..(start + len) as usize] {
                    let mut t = Trace::default();
                    let v = self.run_traced(p, k, &mut t);
                    if v == dominant {
                        seen_dominant = true;
                        dominant_trace.support.extend(t.support);
                    } else {
                        seen_unknown |= v == Tri::Unknown;
                        rest.support.extend(t.support);
                        rest.unknowns.extend(t.unknowns);
                    }
                }
                if seen_dominant {
                    trace.support.extend(dominant_trace.support);
                    dominant
                } else {
                    trace.support.extend(rest.support);
                    trace.unknowns.extend(rest.unknowns);
                    if seen_unknown {
                        Tri::Unknown
                    } else {
                        dominant.not_tri()
                    }
                }
            }
            Node::Not(k) => self.run_traced(p, k, trace).not_tri(),
            Node::Fact { question, fact } => {
                self.eval_provider_fact(question as usize, fact as usize, trace)
            }
            Node::Shape(t) => self.eval_shape(t, trace),
            _ => {
                let v = self.run(p, root);
                let question = match node {
                    Node::Is { question, .. }
                    | Node::Includes { question, .. }
                    | Node::Answered { question, .. }
                    | Node::Gte { question, .. }
                    | Node::Lt { question, .. } => question as usize,
                    _ => 0,
                };
                if v == Tri::Unknown {
                    trace.unknowns.push(question);
                } else {
                    trace.support.push(Leaf::Answer { question });
                }
                v
            }
        }
    }

    /// `value` over a compiled condition.
    pub fn run(&self, p: &Program, root: u32) -> Tri {
        let node = p.nodes[root as usize];
        match node {
            Node::All { start, len } | Node::Any { start, len } => {
                let (dominant, other) = if matches!(node, Node::All { .. }) {
                    (Tri::False, Tri::True)
                } else {
                    (Tri::True, Tri::False)
                };
                let mut unknown = false;
                for &k in &p.kids[start as usize..(start + len) as usize] {
                    match self.run(p, k) {
                        v if v == dominant => return dominant,
                        Tri::Unknown => unknown = true,
                        _ => {}
                    }
                }
                if unknown { Tri::Unknown } else { other }
            }
            Node::Not(k) => self.run(p, k).not_tri(),
            Node::Is { question, mask } => self.eval_answer(question as usize, &Test::Is(mask)),
            Node::Includes { question, mask } => {
                self.eval_answer(question as usize, &Test::Includes(mask))
            }
            Node::Answered { question, want } => {
                self.eval_answer(question as usize, &Test::Answered(want))
            }
            Node::Gte { question, n } => self.eval_answer(question as usize, &Test::Gte(n)),
            Node::Lt { question, n } => self.eval_answer(question as usize, &Test::Lt(n)),
            Node::Fact { question, fact } => {
                self.eval_provider_fact(question as usize, fact as usize, &mut Trace::default())
            }
            Node::Shape(t) => crate::meaning::judge(self.knowledge, self.states, t).tri(),
        }
    }
}
