//! Languages and interface strings. Strings live in `locales/en.yaml` and `locales/zh.yaml` under
//! semantic keys; both files must hold the same keys with the same `{placeholders}` (a test and
//! `catalog lint` check it). A missing key shows as `⟦key⟧`, never as the other language.

use crate::assets::Sources;
use crate::diag::{Diagnostic, Diagnostics};
use crate::load::raw::SpannedMap;
use crate::model::{Lang, Span};
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
    /// A file that cannot be read as a locale (encoding, emptiness, YAML, a key defined twice),
    /// located at its `file:line:col`.
    #[error("{}", .0.render(Ui::embedded(), Lang::En))]
    Invalid(Box<Diagnostic>),
}

impl LocaleError {
    /// The problem as a diagnostic, to render in the user's language.
    pub fn diagnostic(&self) -> Diagnostic {
        match self {
            LocaleError::Missing(lang) => Diagnostic::error(
                "E0403",
                Span {
                    file: format!("locales/{lang}.yaml"),
                    line: 0,
                    col: 0,
                },
            )
            .arg("file", format!("locales/{lang}.yaml")),
            LocaleError::Invalid(d) => (**d).clone(),
        }
    }
}

/// One language's strings with where each key is defined.
type Located = Vec<(String, String, Span)>;

/// `locales/<lang>.yaml` plus every `locales/<lang>-<part>.yaml`, each key with its position.
/// Every file is read with the loader's checks (size, UTF-8 with a line and column, an empty
/// file, YAML errors), and a key defined twice is an error at its second definition (E0602).
fn load_lang(sources: &Sources, lang: &'static str) -> Result<Located, Vec<Diagnostic>> {
    let mut entries: Located = Vec::new();
    let mut first: FastMap<String, Span> = FastMap::default();
    let mut found = false;
    let mut problems = Vec::new();
    let stem = |f: &&crate::assets::SourceFile| {
        f.rel
            .trim_start_matches("locales/")
            .trim_end_matches(".yaml")
            .to_string()
    };
    let mut files: Vec<&crate::assets::SourceFile> = sources
        .in_dir("locales")
        .filter(|f| {
            let file = stem(f);
            file == lang || file.strip_prefix(lang).is_some_and(|r| r.starts_with('-'))
        })
        .collect();
    // The main file first, then the parts in name order: a key defined twice is reported in the
    // part that repeats it.
    files.sort_by_key(|f| stem(f) != lang);
    for f in files {
        found |= stem(&f) == lang;
        let name = f.display();
        let part: SpannedMap<String> = match crate::load::parse_yaml(&name, &f.bytes) {
            Ok(p) => p,
            Err(d) => {
                problems.push(d);
                continue;
            }
        };
        for (k, v) in part.0 {
            let span = Span {
                file: name.clone(),
                line: k.referenced.line(),
                col: k.referenced.column(),
            };
            if let Some(prev) = first.get(&k.value) {
                problems.push(
                    Diagnostic::error("E0602", span)
                        .arg("key", k.value.clone())
                        .arg("first", prev.to_string()),
                );
                continue;
            }
            first.insert(k.value.clone(), span.clone());
            entries.push((k.value, v, span));
        }
    }
    if !found {
        problems.push(LocaleError::Missing(lang).diagnostic());
    }
    if problems.is_empty() {
        Ok(entries)
    } else {
        Err(problems)
    }
}

/// Every problem with the locale files of a source set, for `catalog lint`: unreadable or empty
/// files and YAML errors at their position, keys defined twice, and keys or placeholders that
/// differ between the languages at the key's line (E0601). A language whose files cannot be
/// read is reported once, not as a missing key for each of its strings.
pub fn lint(sources: &Sources) -> Diagnostics {
    let mut d = Diagnostics::default();
    let en = load_lang(sources, "en");
    let zh = load_lang(sources, "zh");
    match (en, zh) {
        (Ok(en), Ok(zh)) => {
            let en_map: FastMap<&str, (&str, &Span)> = en
                .iter()
                .map(|(k, v, s)| (k.as_str(), (v.as_str(), s)))
                .collect();
            let zh_map: FastMap<&str, (&str, &Span)> = zh
                .iter()
                .map(|(k, v, s)| (k.as_str(), (v.as_str(), s)))
                .collect();
            let mut problem = |span: &Span, detail: String| {
                d.push(Diagnostic::error("E0601", span.clone()).arg("detail", detail));
            };
            for (k, v, span) in &en {
                match zh_map.get(k.as_str()) {
                    None => problem(span, format!("{k}: missing in zh")),
                    Some((z, zspan)) if placeholders(v) != placeholders(z) => {
                        problem(zspan, format!("{k}: placeholders differ between en and zh"));
                    }
                    Some((z, zspan)) if z.trim().is_empty() || v.trim().is_empty() => {
                        problem(
                            if v.trim().is_empty() { span } else { zspan },
                            format!("{k}: empty text"),
                        );
                    }
                    _ => {}
                }
            }
            for (k, _, span) in &zh {
                if !en_map.contains_key(k.as_str()) {
                    problem(span, format!("{k}: missing in en"));
                }
            }
        }
        (en, zh) => {
            for problems in [en.err(), zh.err()].into_iter().flatten() {
                for p in problems {
                    d.push(p);
                }
            }
        }
    }
    d.sort();
    d
}

impl Ui {
    /// Loads `locales/<lang>.yaml` plus every `locales/<lang>-<part>.yaml` (one part per feature,
    /// so features keep their strings apart); a key defined twice is an error. The first problem
    /// found is returned, located; [`lint`] lists them all.
    pub fn from_sources(sources: &Sources) -> Result<Ui, LocaleError> {
        let load = |lang: &'static str| -> Result<FastMap<String, String>, LocaleError> {
            match load_lang(sources, lang) {
                Ok(entries) => Ok(entries.into_iter().map(|(k, v, _)| (k, v)).collect()),
                Err(mut problems) => {
                    let first = problems.remove(0);
                    Err(match first.code {
                        "E0403" => LocaleError::Missing(lang),
                        _ => LocaleError::Invalid(Box::new(first)),
                    })
                }
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
