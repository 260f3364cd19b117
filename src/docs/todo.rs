//! The TODO markers of the privacy-notice draft: `TODO(what to fill in)` marks everything
//! agentguard cannot know (company name, contact, exact retention …). `agentguard privacy todo
//! FILE` lists the markers left in an edited notice — Markdown, HTML or plain text — with their
//! line and column, so a notice is not published half-filled.

use std::path::{Path, PathBuf};

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

#[derive(Debug, thiserror::Error)]
pub enum TodoError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "{path} is not a text file (a NUL byte on line {line}): agentguard lists the TODO markers of a Markdown, HTML or text notice"
    )]
    NotText { path: PathBuf, line: usize },
}

/// Every TODO marker in the file at `path`, read to its end line by line (any size; a FIFO with
/// a writer too). A file with a NUL byte — an image, a binary, UTF-16 text, `/dev/zero` — is
/// refused rather than reported as having no markers; other bytes that are not UTF-8 are read
/// as U+FFFD.
pub fn scan_file(path: &Path) -> Result<Vec<Todo>, TodoError> {
    let read_err = |source| TodoError::Read {
        path: path.to_path_buf(),
        source,
    };
    let input = crate::assets::open_input(path).map_err(read_err)?;
    let mut reader = std::io::BufReader::with_capacity(64 * 1024, input);
    let mut out = Vec::new();
    let mut line = Vec::new();
    let mut n = 0;
    loop {
        line.clear();
        // A line is at most what a NUL check lets through: stop reading at the first NUL.
        let got = read_line(&mut reader, &mut line).map_err(read_err)?;
        if got == 0 {
            break;
        }
        n += 1;
        if line.contains(&0) {
            return Err(TodoError::NotText {
                path: path.to_path_buf(),
                line: n,
            });
        }
        let text = String::from_utf8_lossy(&line);
        out.extend(scan(&text).into_iter().map(|t| Todo { line: n, ..t }));
    }
    Ok(out)
}

/// Reads up to and including the next `\n`, or up to and including a NUL byte (so an endless
/// stream of zeros is refused at once rather than read into memory).
fn read_line<R: std::io::BufRead>(r: &mut R, out: &mut Vec<u8>) -> std::io::Result<usize> {
    let mut total = 0;
    loop {
        let buf = match r.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if buf.is_empty() {
            return Ok(total);
        }
        let (used, done) = match buf.iter().position(|&b| b == b'\n' || b == 0) {
            Some(i) => (i + 1, true),
            None => (buf.len(), false),
        };
        out.extend_from_slice(&buf[..used]);
        r.consume(used);
        total += used;
        if done {
            return Ok(total);
        }
    }
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
