//! The TODO markers of the privacy-notice draft: `TODO(what to fill in)` marks everything
//! agentguard cannot know (company name, contact, exact retention …). `agentguard privacy todo
//! FILE` lists the markers left in an edited notice — Markdown, HTML or plain text — with their
//! line and column, so a notice is not published half-filled.

use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Todo {
    pub line: usize,
    /// 1-based, in characters.
    pub col: usize,
    /// The marker as written, `TODO(…)`.
    pub text: String,
}

/// The byte length of the marker at the start of `s` (which starts with `TODO(` or `TODO（`),
/// up to and including its closing parenthesis on the same line; `None` when it is not closed.
pub fn marker_end(s: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in s.char_indices() {
        match c {
            '(' | '（' => depth += 1,
            ')' | '）' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Some(i + c.len_utf8());
                }
            }
            '\n' => return None,
            _ => {}
        }
    }
    None
}

/// Every TODO marker in `text`, in order. An unclosed marker is reported up to the end of its
/// line.
pub fn scan(text: &str) -> Vec<Todo> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let mut from = 0;
        while let Some(pos) = find_marker(&line[from..]) {
            let start = from + pos;
            let rest = &line[start..];
            let len = marker_end(rest).unwrap_or(rest.len());
            out.push(Todo {
                line: n + 1,
                col: line[..start].chars().count() + 1,
                text: rest[..len].to_string(),
            });
            from = start + len.max(1);
        }
    }
    out
}

fn find_marker(text: &str) -> Option<usize> {
    let ascii = text.find("TODO(");
    let wide = text.find("TODO（");
    match (ascii, wide) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, y) => x.or(y),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_markers_with_positions() {
        let t = "# Notice\nWe are TODO(company name), reach us at TODO(email (work)).\n中文 TODO（联系方式）\nTODO(unclosed";
        let todos = scan(t);
        let texts: Vec<&str> = todos.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "TODO(company name)",
                "TODO(email (work))",
                "TODO（联系方式）",
                "TODO(unclosed"
            ]
        );
        assert_eq!((todos[0].line, todos[0].col), (2, 8));
        assert_eq!((todos[2].line, todos[2].col), (3, 4));
    }

    #[test]
    fn edited_text_has_none() {
        assert!(scan("We are Example Ltd. Contact: a@b.c. TODO list done.").is_empty());
    }
}
