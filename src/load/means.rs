//! Checks `means:` (on options and questions) and a law reference's `jurisdiction:` against the
//! closed vocabulary of `crate::meaning`, with a located error and the allowed words as the hint.

use super::raw::{RawCondition, RawMeaning, S, SpannedMap};
use super::span_of;
use crate::condition::Condition;
use crate::diag::{Diagnostic, Diagnostics};
use crate::meaning::{
    DataCategory, Delivery, Jurisdiction, LawJurisdiction, Location, Means, MinorsBand,
    QuestionMeans, ShapeKey, ShapeTest,
};
use crate::model::ReferenceKind;

fn to_json(v: &RawMeaning) -> serde_json::Value {
    match v {
        RawMeaning::Word(w) => serde_json::Value::String(w.clone()),
        RawMeaning::Map(m) => serde_json::Value::Object(
            m.iter()
                .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
                .collect(),
        ),
    }
}

/// The keys a `means:` struct accepts, read from its serde form (so the vocabulary is spelled
/// once, in `crate::meaning`).
fn keys_of<T: Default + serde::Serialize>() -> Vec<String> {
    match serde_json::to_value(T::default()) {
        Ok(serde_json::Value::Object(m)) => m.keys().cloned().collect(),
        _ => Vec::new(),
    }
}

/// Checks each entry on its own (so every bad one is reported at its position), then reads the
/// good ones together.
fn checked<T: Default + serde::Serialize + serde::de::DeserializeOwned>(
    raw: &SpannedMap<S<RawMeaning>>,
    file: &str,
    d: &mut Diagnostics,
) -> T {
    let keys = keys_of::<T>();
    let mut good = serde_json::Map::new();
    for (k, v) in &raw.0 {
        if !keys.contains(&k.value) {
            d.push(
                Diagnostic::error("E0114", span_of(file, k))
                    .arg("key", k.value.clone())
                    .arg("choices", keys.join(", ")),
            );
            continue;
        }
        let mut one = serde_json::Map::new();
        one.insert(k.value.clone(), to_json(&v.value));
        match serde_json::from_value::<T>(serde_json::Value::Object(one)) {
            Ok(_) => {
                good.insert(k.value.clone(), to_json(&v.value));
            }
            Err(e) => d.push(
                Diagnostic::error("E0115", span_of(file, v))
                    .arg("key", k.value.clone())
                    .arg("detail", e.to_string()),
            ),
        }
    }
    serde_json::from_value(serde_json::Value::Object(good)).unwrap_or_default()
}

/// An option's `means:`, checked key by key; unknown keys and words are located errors.
pub fn option_means(raw: &SpannedMap<S<RawMeaning>>, file: &str, d: &mut Diagnostics) -> Means {
    checked(raw, file, d)
}

/// A question's `means:`: `answer:` (what the whole answer is) and, on a yes/no question,
/// `yes:` (what its generated `yes` option means).
pub fn question_means(
    raw: &SpannedMap<S<RawMeaning>>,
    file: &str,
    d: &mut Diagnostics,
) -> QuestionMeans {
    checked::<QuestionMeans>(raw, file, d)
}

/// A reference's `jurisdiction:`: a word of the vocabulary, required for laws.
pub fn reference_jurisdiction(
    raw: Option<&S<String>>,
    kind: ReferenceKind,
    id: &S<String>,
    file: &str,
    d: &mut Diagnostics,
) -> Option<LawJurisdiction> {
    match raw {
        Some(j) => {
            let out = LawJurisdiction::parse(&j.value);
            if out.is_none() {
                d.push(
                    Diagnostic::error("E0308", span_of(file, j))
                        .arg("value", j.value.clone())
                        .arg("choices", LawJurisdiction::codes()),
                );
            }
            out
        }
        None => {
            if kind == ReferenceKind::Law {
                d.push(
                    Diagnostic::error("E0309", span_of(file, id))
                        .arg("id", id.value.clone())
                        .arg("choices", LawJurisdiction::codes()),
                );
            }
            None
        }
    }
}

// ---- condition forms on the shape ----------------------------------------------------------

/// How many of the shape forms (`jurisdiction`, `recipients`, `delivery`, `delivery_any`,
/// `minors`, `data`) a condition node uses.
pub fn shape_form_count(r: &RawCondition) -> usize {
    [
        r.jurisdiction.is_some(),
        r.recipients.is_some(),
        r.delivery.is_some(),
        r.delivery_any.is_some(),
        r.minors.is_some(),
        r.data.is_some(),
    ]
    .iter()
    .filter(|&&b| b)
    .count()
}

pub fn has_shape_form(r: &RawCondition) -> bool {
    shape_form_count(r) > 0
}

fn vocab<T>(
    w: (&str, crate::model::Span),
    form: &str,
    parse: fn(&str) -> Option<T>,
    codes: fn() -> String,
    file: &str,
    d: &mut Diagnostics,
) -> Option<T> {
    let _ = file;
    let out = parse(w.0);
    if out.is_none() {
        d.push(
            Diagnostic::error("E0213", w.1)
                .arg("form", form.to_string())
                .arg("value", w.0.to_string())
                .arg("choices", codes()),
        );
    }
    out
}

/// A shape condition (`jurisdiction: cn_public`, `recipients: {located_outside: cn_mainland}`,
/// `recipients: {location_unknown: true}`, `delivery: hosted`, `delivery_any: […]`,
/// `minors: under_14`, `data: health`). The node holds no other field.
pub fn shape_condition(
    r: &RawCondition,
    file: &str,
    span: crate::model::Span,
    d: &mut Diagnostics,
) -> Option<Condition> {
    let other = r.is.is_some()
        || r.is_any.is_some()
        || r.includes.is_some()
        || r.includes_any.is_some()
        || r.answered.is_some()
        || r.gte.is_some()
        || r.lt.is_some()
        || r.any_has.is_some();
    if other {
        d.push(Diagnostic::error("E0206", span));
        return None;
    }
    let test = if let Some(j) = &r.jurisdiction {
        ShapeTest::Jurisdiction(vocab(
            (j.value.as_str(), span_of(file, j)),
            "jurisdiction",
            Jurisdiction::parse,
            Jurisdiction::codes,
            file,
            d,
        )?)
    } else if let Some(rs) = &r.recipients {
        let mut entries = rs.value.iter();
        let (Some((key, value)), None) = (entries.next(), entries.next()) else {
            d.push(Diagnostic::error("E0206", span));
            return None;
        };
        let value = value.clone().into_string();
        let at = || (value.as_str(), span_of(file, rs));
        match ShapeKey::parse(key) {
            Some(ShapeKey::LocatedOutside) => ShapeTest::LocatedOutside(vocab(
                at(),
                "recipients.located_outside",
                Location::parse,
                Location::codes,
                file,
                d,
            )?),
            Some(ShapeKey::KnownOutside) => ShapeTest::KnownOutside(vocab(
                at(),
                "recipients.known_outside",
                Location::parse,
                Location::codes,
                file,
                d,
            )?),
            Some(ShapeKey::LocationUnknown) => ShapeTest::LocationUnknown(vocab(
                at(),
                "recipients.location_unknown",
                parse_bool,
                || "true, false".to_string(),
                file,
                d,
            )?),
            None => {
                d.push(
                    Diagnostic::error("E0213", span_of(file, rs))
                        .arg("form", "recipients")
                        .arg("value", key.clone())
                        .arg("choices", ShapeKey::codes()),
                );
                return None;
            }
        }
    } else if r.delivery.is_some() || r.delivery_any.is_some() {
        let mut mask = 0u32;
        for w in r.delivery.iter().chain(r.delivery_any.iter().flatten()) {
            let v = vocab(
                (w.value.as_str(), span_of(file, w)),
                "delivery",
                Delivery::parse,
                Delivery::codes,
                file,
                d,
            )?;
            mask |= 1 << crate::meaning::delivery_bit(v);
        }
        if mask == 0 {
            d.push(Diagnostic::error("E0206", span));
            return None;
        }
        ShapeTest::Delivery(mask)
    } else if let Some(m) = &r.minors {
        ShapeTest::Minors(vocab(
            (m.value.as_str(), span_of(file, m)),
            "minors",
            MinorsBand::parse,
            MinorsBand::codes,
            file,
            d,
        )?)
    } else if let Some(c) = &r.data {
        ShapeTest::Data(vocab(
            (c.value.as_str(), span_of(file, c)),
            "data",
            DataCategory::parse,
            DataCategory::codes,
            file,
            d,
        )?)
    } else {
        return None;
    };
    Some(Condition::Shape(test))
}

fn parse_bool(s: &str) -> Option<bool> {
    match s {
        "true" | "yes" => Some(true),
        "false" | "no" => Some(false),
        _ => None,
    }
}
