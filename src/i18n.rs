//! Languages and interface strings. Strings live in `locales/en.yaml` and `locales/zh.yaml` under
//! semantic keys; both files must hold the same keys with the same `{placeholders}` (a test and
//! `catalog lint` check it). A missing key shows as `⟦key⟧`, never as the other language.

use std::collections::BTreeMap;

use crate::assets::Sources;
use crate::model::Lang;
use crate::util::FastMap;

/// Strings are looked up hundreds of times per document: hash maps, written in key order.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Ui {
    #[serde(serialize_with = "crate::util::sorted")]
    en: FastMap<String, String>,
    #[serde(serialize_with = "crate::util::sorted")]
    zh: FastMap<String, String>,
}

/// A problem with the locale files.
#[derive(Debug, thiserror::Error)]
pub enum LocaleError {
    #[error("locales/{0}.yaml is missing")]
    Missing(&'static str),
    #[error("locales/{file}.yaml: {detail}")]
    Parse { file: &'static str, detail: String },
}

impl Ui {
    /// Loads `locales/<lang>.yaml` plus every `locales/<lang>-<part>.yaml` (one part per feature,
    /// so features keep their strings apart); a key defined twice is an error.
    pub fn from_sources(sources: &Sources) -> Result<Ui, LocaleError> {
        let load = |lang: &'static str| -> Result<FastMap<String, String>, LocaleError> {
            let mut map = FastMap::default();
            let mut found = false;
            for f in sources.in_dir("locales") {
                let file = f
                    .rel
                    .trim_start_matches("locales/")
                    .trim_end_matches(".yaml");
                if file != lang && !file.strip_prefix(lang).is_some_and(|r| r.starts_with('-')) {
                    continue;
                }
                found |= file == lang;
                let text = std::str::from_utf8(&f.bytes).map_err(|e| LocaleError::Parse {
                    file: lang,
                    detail: format!("{}: {e}", f.rel),
                })?;
                let part: BTreeMap<String, String> =
                    serde_saphyr::from_str(text).map_err(|e| LocaleError::Parse {
                        file: lang,
                        detail: format!("{}: {}", f.rel, e.without_snippet()),
                    })?;
                for (k, v) in part {
                    if map.insert(k.clone(), v).is_some() {
                        return Err(LocaleError::Parse {
                            file: lang,
                            detail: format!("{}: key `{k}` is defined twice", f.rel),
                        });
                    }
                }
            }
            if found {
                Ok(map)
            } else {
                Err(LocaleError::Missing(lang))
            }
        };
        Ok(Ui {
            en: load("en")?,
            zh: load("zh")?,
        })
    }

    /// The embedded strings; they are checked by the test suite, so this cannot fail in a build
    /// that passed its tests (a broken override is reported by `from_sources`).
    pub fn embedded() -> &'static Ui {
        static UI: std::sync::OnceLock<Ui> = std::sync::OnceLock::new();
        UI.get_or_init(|| {
            crate::precompiled::ui()
                .unwrap_or_else(|| Ui::from_sources(&Sources::embedded()).unwrap_or_default())
        })
    }

    fn map(&self, lang: Lang) -> &FastMap<String, String> {
        match lang {
            Lang::En => &self.en,
            Lang::Zh => &self.zh,
        }
    }

    pub fn has(&self, lang: Lang, key: &str) -> bool {
        self.map(lang).contains_key(key)
    }

    /// The string for `key`, borrowed; `None` when the language has no such key.
    pub fn text(&self, lang: Lang, key: &str) -> Option<&str> {
        self.map(lang).get(key).map(String::as_str)
    }

    pub fn get(&self, lang: Lang, key: &str) -> String {
        self.map(lang)
            .get(key)
            .cloned()
            .unwrap_or_else(|| format!("⟦{key}⟧"))
    }

    /// The string for `key` with each `{name}` replaced by its argument.
    pub fn fmt(&self, lang: Lang, key: &str, args: &[(&str, String)]) -> String {
        let Some(template) = self.map(lang).get(key) else {
            return format!("⟦{key}⟧");
        };
        fill_lang(lang, template, args)
    }

    /// The keys of one language, in order.
    pub fn keys(&self, lang: Lang) -> impl Iterator<Item = &String> {
        let mut keys: Vec<&String> = self.map(lang).keys().collect();
        keys.sort();
        keys.into_iter()
    }

    /// Keys present in one language and not the other, and keys whose placeholders differ.
    pub fn parity_problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        for (k, v) in &self.en {
            match self.zh.get(k) {
                None => out.push(format!("{k}: missing in zh")),
                Some(z) if placeholders(v) != placeholders(z) => {
                    out.push(format!("{k}: placeholders differ between en and zh"));
                }
                Some(z) if z.trim().is_empty() || v.trim().is_empty() => {
                    out.push(format!("{k}: empty text"));
                }
                _ => {}
            }
        }
        for k in self.zh.keys() {
            if !self.en.contains_key(k) {
                out.push(format!("{k}: missing in en"));
            }
        }
        out.sort();
        out
    }
}

pub fn fill(template: &str, args: &[(&str, String)]) -> String {
    fill_spaced(template, args, false)
}

/// [`fill`] for a language: in Chinese a space is put between a filled-in value that starts or
/// ends with a Latin letter or digit and the Han character next to it (`尚不清楚 OpenAI 是否`),
/// as Chinese technical writing does; Chinese values (`尚不清楚深度求索是否`) stay joined.
pub fn fill_lang(lang: Lang, template: &str, args: &[(&str, String)]) -> String {
    fill_spaced(template, args, lang == Lang::Zh)
}

fn is_han(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}' | '\u{f900}'..='\u{faff}')
}

fn fill_spaced(template: &str, args: &[(&str, String)], cjk_spacing: bool) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        match after.find('}') {
            Some(end) => {
                let name = &after[..end];
                if let Some((_, v)) = args.iter().find(|(n, _)| *n == name) {
                    let latin = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
                    let next = after[end + 1..].chars().next();
                    if cjk_spacing
                        && out.chars().next_back().is_some_and(is_han)
                        && latin(v.chars().next())
                    {
                        out.push(' ');
                    }
                    out.push_str(v);
                    if cjk_spacing && latin(v.chars().next_back()) && next.is_some_and(is_han) {
                        out.push(' ');
                    }
                } else {
                    out.push('{');
                    out.push_str(name);
                    out.push('}');
                }
                rest = &after[end + 1..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

pub fn placeholders(s: &str) -> Vec<String> {
    let mut v = Vec::new();
    let mut rest = s;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        if let Some(end) = after.find('}') {
            v.push(after[..end].to_string());
            rest = &after[end + 1..];
        } else {
            break;
        }
    }
    v.sort();
    v
}

/// The language from the environment: `LANGUAGE`, `LC_ALL`, `LC_MESSAGES`, `LANG`, in that order; `zh*`
/// is Chinese, anything else English. `None` when none is set.
pub fn lang_from_env() -> Option<Lang> {
    for var in ["LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"] {
        if let Ok(v) = std::env::var(var) {
            let v = v.trim();
            if v.is_empty() {
                continue;
            }
            // LANGUAGE may list several ("zh_CN:en"); the first wins.
            let first = v.split(':').next().unwrap_or(v).to_ascii_lowercase();
            if first.starts_with("zh") {
                return Some(Lang::Zh);
            }
            return Some(Lang::En);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_replaces_named_placeholders_only() {
        let s = fill("a {x} b {y} {z", &[("x", "1".into()), ("y", "{2}".into())]);
        let zh = |t: &str, v: &str| fill_lang(Lang::Zh, t, &[("p", v.into())]);
        assert_eq!(zh("尚不清楚{p}是否", "OpenAI"), "尚不清楚 OpenAI 是否");
        assert_eq!(zh("尚不清楚{p}是否", "深度求索"), "尚不清楚深度求索是否");
        assert_eq!(zh("（{p}）", "LLM06:2025"), "（LLM06:2025）");
        assert_eq!(zh("第{p}条", "17"), "第 17 条");
        assert_eq!(fill_lang(Lang::En, "x{p}y", &[("p", "1".into())]), "x1y");
        assert_eq!(s, "a 1 b {2} {z");
    }

    #[test]
    fn embedded_locales_have_parity() {
        let ui = Ui::from_sources(&Sources::embedded()).expect("locales parse");
        let problems = ui.parity_problems();
        assert!(problems.is_empty(), "{problems:#?}");
        assert!(ui.keys(Lang::En).count() > 50);
    }
}
