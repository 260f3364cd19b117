//! What the privacy notice tells users about the advice the agent gives (issue 14): that it is no
//! professional where it answers health, legal or money questions, and, for a companion or an
//! agent that talks about mental health, where to turn in a crisis. The crisis lines are always a
//! fill-in marker for the operator (per country, from a source, with the date checked): agentguard
//! never writes a phone number. Read through meanings (`advice:`, `feature: companion`), never a
//! question id.

use serde::Serialize;

use crate::condition::QState;
use crate::evaluate::question_states;
use crate::meaning::{self, Advice, Feature};
use crate::model::{Assessment, Knowledge};

/// The areas in which the notice says the service is no professional, in this order.
const NOT_A_PROFESSIONAL: [Advice; 3] = [Advice::Health, Advice::Legal, Advice::Financial];

/// The advice statements a notice makes.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct AdviceView {
    /// The areas (`health`, `legal`, `financial`) whose "not a professional" sentence the notice
    /// states (`docs.privacy.advice.<area>`).
    pub areas: Vec<String>,
    /// A companion, or mental-health advice: the notice points to crisis help, with the lines as
    /// a fill-in marker (`docs.privacy.advice.crisis`).
    pub crisis_lines: bool,
    /// The question on the advice it gives was answered: the notice needs no general "not for
    /// medical, legal or financial decisions" line beside the areas it states.
    pub answered: bool,
}

/// Reads the advice areas from the answers (an unanswered or hidden question states nothing).
pub fn read(k: &Knowledge, a: &Assessment) -> AdviceView {
    let states = question_states(k, a);
    let chosen = meaning::chosen_options(k, &states);
    let has = |area: Advice| chosen.iter().any(|(_, o)| o.means.advice == Some(area));
    let answered = k.questionnaire.questions.iter().enumerate().any(|(qi, q)| {
        q.options.iter().any(|o| o.means.advice.is_some())
            && matches!(states.get(qi), Some(QState::Given(v)) if !v.is_not_sure())
    });
    AdviceView {
        answered,
        areas: NOT_A_PROFESSIONAL
            .iter()
            .filter(|area| has(**area))
            .map(|area| area.code())
            .collect(),
        crisis_lines: has(Advice::MentalHealth)
            || chosen
                .iter()
                .any(|(_, o)| o.means.feature == Some(Feature::Companion)),
    }
}
