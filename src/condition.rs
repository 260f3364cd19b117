//! The condition language (`all` / `any` / `not` over answer tests and provider facts) and its
//! three-valued evaluation with a trace: which answers made a condition true, or which unanswered
//! questions would decide it.

use serde::Serialize;

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
    #[must_use]
    pub fn not(self) -> Tri {
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

#[derive(Clone, Debug, PartialEq)]
pub enum Test {
    /// The single/yes-no answer is one of these options.
    Is(Vec<String>),
    /// One of these options is among the multiple-choice answers.
    Includes(Vec<String>),
    Answered(bool),
    Gte(f64),
    Lt(f64),
}

#[derive(Clone, Debug, PartialEq)]
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
}

impl Evaluator<'_> {
    pub fn eval(&self, cond: &Condition, trace: &mut Trace) -> Tri {
        match cond {
            Condition::All(parts) => self.eval_join(parts, Tri::False, trace),
            Condition::Any(parts) => self.eval_join(parts, Tri::True, trace),
            Condition::Not(inner) => self.eval(inner, trace).not(),
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
            dominant.not()
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
                (Test::Is(opts), Value::Choice(c)) => Tri::from(opts.iter().any(|o| o == c)),
                (Test::Includes(opts), Value::Choices(cs)) => {
                    Tri::from(opts.iter().any(|o| cs.iter().any(|c| c == o)))
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
            QState::Unanswered | QState::NotSure => {
                trace.unknowns.push(question);
                return Tri::Unknown;
            }
            QState::Given(Value::Choice(c)) => vec![c.as_str()],
            QState::Given(Value::Choices(cs)) => cs.iter().map(String::as_str).collect(),
            QState::Given(_) => {
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
        }
    }

    /// The always-true condition (an empty `all`).
    pub fn always() -> Condition {
        Condition::All(Vec::new())
    }
}
