//! The full-screen wizard drawn into memory: widget tests against a bare `Buffer`, and whole-screen
//! snapshots (insta over ratatui's `TestBackend`) of the key screens after scripted key presses,
//! at 80×24 and 120×40, in English and Chinese.

use std::sync::OnceLock;

use agentguard::i18n::Ui;
use agentguard::model::{Assessment, Knowledge, Lang, Value};
use agentguard::store::Stored;
use agentguard::wizard::flow::{Command, Context, Event, Flow};
use agentguard::wizard::tui::{self, App, BINDINGS, Footer, Scripted, Theme};
use agentguard::wizard::{Session, Trace};
use agentguard::{Sources, load};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::KeyCode;
use ratatui::layout::Rect;
use ratatui::style::Color;
use ratatui::widgets::Widget;

fn knowledge() -> &'static Knowledge {
    static K: OnceLock<Knowledge> = OnceLock::new();
    K.get_or_init(|| match load::knowledge(&Sources::embedded()) {
        Ok((k, _)) => k,
        Err(d) => panic!("embedded catalog invalid: {d:#?}"),
    })
}

fn today() -> i64 {
    agentguard::util::parse_date("2026-11-26").expect("date")
}

fn clock() -> String {
    "2026-11-26T10:00:00Z".into()
}

/// The complete assessment of the shop assistant (tests/fixtures/wizard/shop.yaml).
fn shop() -> Assessment {
    let bytes = std::fs::read("tests/fixtures/wizard/shop.yaml").expect("fixture");
    match load::assessment("shop.yaml", &bytes, knowledge()) {
        Ok((a, _)) => a,
        Err(d) => panic!("fixture invalid: {d:#?}"),
    }
}

/// The shop assistant before the "keys" and "compliance" sections.
fn shop_partial() -> Assessment {
    let mut a = shop();
    a.answers
        .retain(|id, _| !id.starts_with("keys.") && !id.starts_with("compliance."));
    a
}

fn empty() -> Assessment {
    Assessment::new(1, Lang::En)
}

/// Runs the whole application on a `TestBackend` through the keys and returns the screen, with
/// anything machine-specific filtered out.
fn screen(a: Assessment, lang: Lang, size: (u16, u16), mut keys: Scripted) -> String {
    let k = knowledge();
    let dir = tempfile::tempdir().expect("tmp");
    let mut stored = Stored::open(&dir.path().join("agentguard.yaml"), k, lang).expect("new file");
    stored.assessment = a.clone();
    let mut session = Session {
        stored,
        docs: None,
        trace: Trace::off(),
    };
    let mut flow = Flow::new(k, Ui::embedded(), a, lang, today()).with_clock(clock);
    let mut terminal = Terminal::new(TestBackend::new(size.0, size.1)).expect("terminal");
    tui::run(
        &mut terminal,
        &mut flow,
        &mut session,
        &mut keys,
        &Theme::color(),
    )
    .expect("run");
    // TestBackend only applies the diff of each frame and, unlike a terminal, keeps stale cells
    // behind wide characters; a last full redraw shows the screen as a terminal shows it.
    terminal.clear().expect("clear");
    let theme = Theme::color();
    terminal
        .draw(|frame| frame.render_widget(&App::new(&flow, &theme), frame.area()))
        .expect("draw");
    filter(&terminal.backend().to_string(), dir.path())
}

/// Dates and temporary paths would make snapshots differ between runs.
fn filter(s: &str, dir: &std::path::Path) -> String {
    let s = s.replace(&dir.display().to_string(), "[TMP]");
    let mut out = String::with_capacity(s.len());
    let b = s.as_bytes();
    let mut i = 0;
    while i < s.len() {
        // YYYY-MM-DDTHH:MM:SSZ
        if i + 20 <= b.len()
            && b[i..i + 4].iter().all(u8::is_ascii_digit)
            && b[i + 4] == b'-'
            && b[i + 10] == b'T'
            && b[i + 19] == b'Z'
        {
            out.push_str("[TIMESTAMP]");
            i += 20;
            continue;
        }
        let c = s[i..].chars().next().expect("char");
        out.push(c);
        i += c.len_utf8();
    }
    out
}

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

fn snap_all(name: &str, a: &Assessment, keys: &Scripted) {
    for lang in Lang::ALL {
        for size in SIZES {
            let s = screen(a.clone(), lang, size, Scripted(keys.0.clone()));
            insta::assert_snapshot!(format!("{name}_{lang}_{}x{}", size.0, size.1), s);
        }
    }
}

/// The keys that answer the two questions before the agent's name: a public service (the fourth
/// option) run from mainland China (the first option ticked).
fn past_delivery() -> Scripted {
    Scripted::keys(&[
        KeyCode::Down,
        KeyCode::Down,
        KeyCode::Down,
        KeyCode::Enter,
        KeyCode::Char(' '),
        KeyCode::Enter,
    ])
}

#[test]
fn snapshot_first_question() {
    snap_all("first_question", &empty(), &Scripted::default());
}

#[test]
fn snapshot_multiple_choice() {
    // Delivery and location, name, purpose (first option), then tick "text" and "images" on the
    // outputs question.
    let keys = past_delivery()
        .text("Shop Helper")
        .key(KeyCode::Enter)
        .key(KeyCode::Enter)
        .key(KeyCode::Char(' '))
        .key(KeyCode::Down)
        .key(KeyCode::Char(' '));
    snap_all("multiple_choice", &empty(), &keys);
}

#[test]
fn snapshot_free_text_with_chinese_input() {
    let keys = past_delivery().text("小店助手（测试版）Shop");
    snap_all("text_chinese", &empty(), &keys);
}

#[test]
fn snapshot_risk_panel_after_answers() {
    // Resumes at "where are your keys"; ticking "front-end code" (the fourth option, after the
    // repository's "public" since catalog v15) triggers new findings.
    let keys = Scripted::keys(&[
        KeyCode::Down,
        KeyCode::Down,
        KeyCode::Down,
        KeyCode::Char(' '),
        KeyCode::Enter,
    ]);
    snap_all("risk_panel", &shop_partial(), &keys);
}

#[test]
fn snapshot_summary() {
    snap_all("summary", &shop(), &Scripted::default());
}

#[test]
fn snapshot_drill_down() {
    let keys = Scripted::keys(&[KeyCode::Enter, KeyCode::Down]);
    snap_all("drill_down", &shop(), &keys);
}

#[test]
fn snapshot_data_flow() {
    snap_all("data_flow", &shop(), &Scripted::keys(&[KeyCode::Char('f')]));
}

#[test]
fn snapshot_help() {
    // On a text question `?` types; F1 opens the help everywhere.
    snap_all("help", &empty(), &past_delivery().key(KeyCode::F(1)));
    let choice = past_delivery()
        .text("Bot")
        .key(KeyCode::Enter)
        .key(KeyCode::Char('?'));
    snap_all("help_choice", &empty(), &choice);
}

// ---- widget tests ------------------------------------------------------------------------------

fn buffer_text(buf: &Buffer) -> String {
    let mut s = String::new();
    for y in 0..buf.area.height {
        let mut skip = 0;
        for x in 0..buf.area.width {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let sym = buf[(x, y)].symbol();
            skip = unicode_width::UnicodeWidthStr::width(sym).saturating_sub(1);
            s.push_str(sym);
        }
        s.push('\n');
    }
    s
}

fn render_app(flow: &Flow<'_>, theme: &Theme, w: u16, h: u16) -> (Buffer, Option<(u16, u16)>) {
    let area = Rect::new(0, 0, w, h);
    let mut buf = Buffer::empty(area);
    let app = App::new(flow, theme);
    (&app).render(area, &mut buf);
    (buf, app.cursor.get().map(|p| (p.x, p.y)))
}

#[test]
fn wrap_breaks_between_wide_characters_and_at_spaces() {
    assert_eq!(tui::wrap("你好世界", 5), ["你好", "世界"]);
    assert_eq!(tui::wrap("hello big world", 9), ["hello big", "world"]);
    let mixed = "用 Dify 搭的、根据你的 PDF 回答问题的应用，选“根据文档答疑”。";
    for l in tui::wrap(mixed, 11) {
        assert!(
            unicode_width::UnicodeWidthStr::width(l.as_str()) <= 11,
            "{l:?}"
        );
    }
    assert_eq!(tui::fit("小店助手", 5), "小店…");
}

/// Answers the questions before the agent's name (a public service run from mainland China), so
/// the flow stands on the first text question.
fn to_the_name(f: &mut Flow<'_>) {
    f.handle(Event::Answer(Value::Choice("public".into())));
    f.handle(Event::Answer(Value::Choices(vec!["cn_mainland".into()])));
    assert_eq!(f.question().id, "agent.name");
}

#[test]
fn text_input_places_the_cursor_after_wide_characters() {
    let k = knowledge();
    let mut f = Flow::new(k, Ui::embedded(), empty(), Lang::Zh, today()).with_clock(clock);
    to_the_name(&mut f);
    for c in "小店ab".chars() {
        f.handle(Event::Char(c));
    }
    let (buf, cursor) = render_app(&f, &Theme::color(), 80, 24);
    let text = buffer_text(&buf);
    let row = text
        .lines()
        .position(|l| l.contains("小店ab"))
        .expect("input shown");
    let (x, y) = cursor.expect("cursor");
    assert_eq!(usize::from(y), row);
    // The input starts after the sidebar (24), the question border (1) and "│ " (2).
    assert_eq!(x, 24 + 1 + 2 + 6, "two wide characters and two narrow ones");
    f.handle(Event::Cmd(Command::Home));
    let (_, cursor) = render_app(&f, &Theme::color(), 80, 24);
    assert_eq!(cursor.map(|c| c.0), Some(24 + 1 + 2));
}

#[test]
fn footer_hints_come_from_the_key_table_and_match_the_context() {
    let k = knowledge();
    let ui = Ui::embedded();
    let mut f = Flow::new(k, ui, empty(), Lang::En, today());
    to_the_name(&mut f);
    let theme = Theme::color();
    let area = Rect::new(0, 0, 120, 1);
    let mut buf = Buffer::empty(area);
    Footer {
        flow: &f,
        theme: &theme,
    }
    .render(area, &mut buf);
    let typing = buffer_text(&buf);
    assert_eq!(f.context(), Context::Typing);
    assert!(typing.contains("Ctrl-C quit"), "{typing}");
    assert!(!typing.contains("q/"), "q types while typing: {typing}");
    assert!(typing.contains("F1 help"), "{typing}");
    // On a choice question the letter keys work.
    f.handle(Event::Answer(Value::Text("Bot".into())));
    let mut buf = Buffer::empty(area);
    Footer {
        flow: &f,
        theme: &theme,
    }
    .render(area, &mut buf);
    let choosing = buffer_text(&buf);
    assert!(choosing.contains("?/F1 help"), "{choosing}");
    assert!(choosing.contains("q/Ctrl-C quit"), "{choosing}");
}

#[test]
fn every_binding_is_reachable_and_labelled_in_both_languages() {
    let ui = Ui::embedded();
    for b in BINDINGS {
        for lang in Lang::ALL {
            assert!(ui.has(lang, b.label), "{lang}: {}", b.label);
        }
        for &ctx in b.contexts {
            let reachable = b.keys.iter().any(|(k, c)| tui::lookup(ctx, *k) == Some(*c));
            assert!(reachable, "{} is shadowed everywhere in {ctx:?}", b.label);
        }
    }
    // Ctrl-C quits everywhere, also while typing.
    for ctx in [
        Context::Question,
        Context::Typing,
        Context::Summary,
        Context::Detail,
        Context::DataFlow,
        Context::Form,
        Context::Conflict,
        Context::ConfirmSecret,
        Context::DocsEdited,
        Context::Help,
    ] {
        let ctrl_c = tui::Key {
            code: KeyCode::Char('c'),
            mods: ratatui::crossterm::event::KeyModifiers::CONTROL,
        };
        assert_eq!(tui::lookup(ctx, ctrl_c), Some(Command::Quit), "{ctx:?}");
    }
}

#[test]
fn no_color_theme_draws_no_colour() {
    let k = knowledge();
    let f = Flow::new(k, Ui::embedded(), shop_partial(), Lang::En, today());
    let (buf, _) = render_app(&f, &Theme::no_color(), 120, 40);
    for cell in &buf.content {
        assert_eq!(cell.fg, Color::Reset);
        assert_eq!(cell.bg, Color::Reset);
    }
    let (buf, _) = render_app(&f, &Theme::color(), 120, 40);
    assert!(buf.content.iter().any(|c| c.fg != Color::Reset));
}

#[test]
fn user_text_is_escaped_before_it_reaches_the_terminal() {
    let k = knowledge();
    let mut a = empty();
    a.answers.insert(
        "agent.name".into(),
        agentguard::model::Answer {
            value: Value::Text("evil\u{1b}[2Jbot\u{202e}".into()),
            at: String::new(),
            source: agentguard::model::AnswerSource::User,
            confirmed: true,
            evidence: None,
        },
    );
    let f = Flow::new(k, Ui::embedded(), a, Lang::En, today());
    let (buf, _) = render_app(&f, &Theme::color(), 120, 40);
    let text = buffer_text(&buf);
    assert!(text.contains("evil\\u{1b}[2Jbot\\u{202e}"), "{text}");
    assert!(!text.contains('\u{1b}'));
}

#[test]
fn a_small_terminal_gets_a_clear_message() {
    let k = knowledge();
    let f = Flow::new(k, Ui::embedded(), empty(), Lang::En, today());
    let (buf, _) = render_app(&f, &Theme::color(), 79, 24);
    let text = buffer_text(&buf);
    assert!(text.contains("79×24"), "{text}");
    assert!(text.contains("80×24"), "{text}");
    let (buf, _) = render_app(&f, &Theme::color(), 80, 23);
    assert!(buffer_text(&buf).contains("80×23"));
    let f = Flow::new(k, Ui::embedded(), empty(), Lang::Zh, today());
    let (buf, _) = render_app(&f, &Theme::color(), 60, 20);
    assert!(buffer_text(&buf).contains("至少需要"));
}

#[test]
fn the_language_key_switches_the_screen_without_moving() {
    let s = screen(
        empty(),
        Lang::En,
        (80, 24),
        Scripted::default()
            .text("Bot")
            .key(KeyCode::Enter)
            .key(KeyCode::Down)
            .key(KeyCode::Char('l')),
    );
    assert!(s.contains("你的智能体主要用来做什么"), "{s}");
    assert!(s.contains("第 2/"), "{s}");
}

/// Issue 12 item 13: a credential-shaped agent name is shortened in the header, and only there:
/// the edit field holds the real text (a shortened one would be saved back).
#[test]
fn snapshot_header_with_a_secret_shaped_name() {
    const KEY: &str = "sk-proj-Ab3dEf9hIj2lMn4pQr6tUv8xYz0aBc1dEf2gHi3jKl";
    let mut a = empty();
    let answer = |value| agentguard::model::Answer {
        value,
        at: String::new(),
        source: agentguard::model::AnswerSource::User,
        confirmed: true,
        evidence: None,
    };
    // The name is the third question (v2): the two before it are answered too, so the wizard
    // resumes at the fourth.
    a.answers.insert(
        "agent.delivery".into(),
        answer(Value::Choice("public".into())),
    );
    a.answers.insert(
        "agent.where".into(),
        answer(Value::Choices(vec!["cn_mainland".into()])),
    );
    a.answers
        .insert("agent.name".into(), answer(Value::Text(KEY.into())));
    // Back to the name question, whose field holds the name.
    let keys = Scripted::keys(&[KeyCode::PageUp]);
    let s = screen(a, Lang::En, (120, 40), keys);
    let header = s.lines().next().expect("header");
    assert!(!header.contains(KEY), "{header}");
    assert!(header.contains("sk-p…"), "{header}");
    // The field scrolls to the cursor at the end; all but the first character show.
    assert!(
        s.contains(&KEY[1..]),
        "the edit field holds the real text: {s}"
    );
    insta::assert_snapshot!("header_secret_name_en_120x40", s);
}
