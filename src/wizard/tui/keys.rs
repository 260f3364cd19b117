//! The key table: `BINDINGS` declares every key once, with the contexts it works in and its
//! label; it maps keys to commands (`lookup`, `to_event`) and feeds both the footer and the help
//! overlay, so a hint can never show a key that does something else.

use ratatui::crossterm::event::{Event as CEvent, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use crate::wizard::flow::{Command, Context, Event, Flow};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

const fn key(code: KeyCode) -> Key {
    Key {
        code,
        mods: KeyModifiers::NONE,
    }
}
const fn ch(c: char) -> Key {
    key(KeyCode::Char(c))
}
const fn ctrl(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        mods: KeyModifiers::CONTROL,
    }
}

/// One line of the key table: keys (each with its command) shown under one label.
pub struct Binding {
    pub contexts: &'static [Context],
    pub keys: &'static [(Key, Command)],
    /// Locale key of the label.
    pub label: &'static str,
    /// Shown in the footer (everything is shown in the help overlay).
    pub footer: bool,
}

use Context as X;
const SCREENS: &[Context] = &[
    X::Question,
    X::Typing,
    X::Summary,
    X::Detail,
    X::DataFlow,
    X::Review,
    X::Confirm,
    X::Acceptance,
];
const QUESTION: &[Context] = &[X::Question, X::Typing];

/// The key table. Earlier lines win, so the text-editing keys of a typing context shadow the
/// same keys further down; hints only show keys that really reach their command.
pub const BINDINGS: &[Binding] = &[
    Binding {
        contexts: &[X::Typing, X::Form],
        keys: &[
            (key(KeyCode::Left), Command::Left),
            (key(KeyCode::Right), Command::Right),
            (key(KeyCode::Home), Command::Home),
            (key(KeyCode::End), Command::End),
            (key(KeyCode::Backspace), Command::Backspace),
            (key(KeyCode::Delete), Command::Delete),
        ],
        label: "wizard.key.edit",
        footer: false,
    },
    Binding {
        contexts: QUESTION,
        keys: &[(key(KeyCode::Enter), Command::Accept)],
        label: "wizard.key.accept",
        footer: true,
    },
    Binding {
        contexts: &[X::Review],
        keys: &[(key(KeyCode::Enter), Command::Accept)],
        label: "review.key.start",
        footer: true,
    },
    Binding {
        contexts: &[X::Confirm],
        keys: &[(key(KeyCode::Enter), Command::Accept)],
        label: "review.key.confirm_all",
        footer: true,
    },
    Binding {
        contexts: &[X::Confirm],
        keys: &[
            (ch(' '), Command::Toggle),
            (key(KeyCode::Right), Command::Toggle),
        ],
        label: "review.key.change",
        footer: true,
    },
    Binding {
        contexts: &[X::Acceptance],
        keys: &[(key(KeyCode::Enter), Command::Accept)],
        label: "review.key.choose",
        footer: true,
    },
    // One key per choice of the acceptance screen, shown beside each choice; the order is
    // `review::Renewal::ALL`.
    Binding {
        contexts: &[X::Acceptance],
        keys: &[(ch('1'), Command::AcceptRisk)],
        label: "review.key.extend",
        footer: false,
    },
    Binding {
        contexts: &[X::Acceptance],
        keys: &[(ch('2'), Command::Reopen)],
        label: "review.key.reopen",
        footer: false,
    },
    Binding {
        contexts: &[X::Acceptance],
        keys: &[(ch('3'), Command::MarkDone)],
        label: "review.key.done",
        footer: false,
    },
    Binding {
        contexts: &[X::Acceptance],
        keys: &[(ch('4'), Command::Skip)],
        label: "review.key.leave",
        footer: false,
    },
    Binding {
        contexts: &[X::Confirm, X::Acceptance],
        keys: &[
            (key(KeyCode::Left), Command::Back),
            (key(KeyCode::Esc), Command::Back),
            (ch('b'), Command::Back),
        ],
        label: "wizard.key.back",
        footer: true,
    },
    Binding {
        contexts: &[
            X::Question,
            X::Typing,
            X::Summary,
            X::Detail,
            X::Confirm,
            X::Acceptance,
        ],
        keys: &[
            (key(KeyCode::Up), Command::Up),
            (key(KeyCode::Down), Command::Down),
            (ch('k'), Command::Up),
            (ch('j'), Command::Down),
        ],
        label: "wizard.key.move",
        footer: true,
    },
    Binding {
        contexts: &[X::Question, X::Summary],
        keys: &[
            (key(KeyCode::Home), Command::Home),
            (key(KeyCode::End), Command::End),
        ],
        label: "wizard.key.first_last",
        footer: false,
    },
    Binding {
        contexts: &[X::Question],
        keys: &[(ch(' '), Command::Toggle)],
        label: "wizard.key.toggle",
        footer: true,
    },
    Binding {
        contexts: QUESTION,
        keys: &[
            (key(KeyCode::Left), Command::Back),
            (key(KeyCode::PageUp), Command::Back),
            (key(KeyCode::BackTab), Command::Back),
            (ch('h'), Command::Back),
        ],
        label: "wizard.key.back",
        footer: true,
    },
    Binding {
        contexts: QUESTION,
        keys: &[
            (key(KeyCode::Right), Command::Skip),
            (key(KeyCode::PageDown), Command::Skip),
            (key(KeyCode::Tab), Command::Skip),
        ],
        label: "wizard.key.skip",
        footer: true,
    },
    Binding {
        contexts: QUESTION,
        keys: &[
            (ch('w'), Command::ToggleWhy),
            (key(KeyCode::F(3)), Command::ToggleWhy),
        ],
        label: "wizard.key.why",
        footer: true,
    },
    Binding {
        contexts: QUESTION,
        keys: &[
            (ch('s'), Command::Summary),
            (key(KeyCode::F(5)), Command::Summary),
        ],
        label: "wizard.key.summary",
        footer: true,
    },
    Binding {
        contexts: &[X::Summary],
        keys: &[
            (key(KeyCode::Enter), Command::Accept),
            (key(KeyCode::Right), Command::Accept),
        ],
        label: "wizard.key.open",
        footer: true,
    },
    Binding {
        contexts: &[X::Summary],
        keys: &[(ch('w'), Command::WriteDocs)],
        label: "wizard.key.write_docs",
        footer: true,
    },
    Binding {
        contexts: &[X::Summary],
        keys: &[
            (key(KeyCode::Esc), Command::Back),
            (key(KeyCode::Left), Command::Back),
            (ch('b'), Command::Back),
        ],
        label: "wizard.key.to_questions",
        footer: true,
    },
    Binding {
        contexts: &[X::Review],
        keys: &[
            (key(KeyCode::Up), Command::Up),
            (key(KeyCode::Down), Command::Down),
            (key(KeyCode::PageUp), Command::PageUp),
            (key(KeyCode::PageDown), Command::PageDown),
        ],
        label: "wizard.key.scroll",
        footer: true,
    },
    Binding {
        contexts: &[X::Summary, X::DataFlow],
        keys: &[
            (key(KeyCode::PageUp), Command::PageUp),
            (key(KeyCode::PageDown), Command::PageDown),
        ],
        label: "wizard.key.page",
        footer: false,
    },
    Binding {
        contexts: &[X::Detail],
        keys: &[(ch(' '), Command::MarkDone), (ch('d'), Command::MarkDone)],
        label: "wizard.key.mark_done",
        footer: true,
    },
    Binding {
        contexts: &[X::Detail],
        keys: &[(ch('a'), Command::AcceptRisk)],
        label: "wizard.key.accept_risk",
        footer: true,
    },
    Binding {
        contexts: &[X::Detail],
        keys: &[(ch('n'), Command::NotApplicable)],
        label: "wizard.key.not_applicable",
        footer: true,
    },
    Binding {
        contexts: &[X::Detail],
        keys: &[(ch('o'), Command::Reopen)],
        label: "wizard.key.reopen",
        footer: false,
    },
    Binding {
        contexts: &[X::Detail],
        keys: &[
            (key(KeyCode::PageUp), Command::PageUp),
            (key(KeyCode::PageDown), Command::PageDown),
        ],
        label: "wizard.key.scroll",
        footer: false,
    },
    Binding {
        contexts: &[X::Detail, X::DataFlow],
        keys: &[
            (key(KeyCode::Esc), Command::Back),
            (key(KeyCode::Left), Command::Back),
            (ch('b'), Command::Back),
        ],
        label: "wizard.key.back_screen",
        footer: true,
    },
    Binding {
        contexts: &[X::DataFlow],
        keys: &[
            (key(KeyCode::Up), Command::Up),
            (key(KeyCode::Down), Command::Down),
        ],
        label: "wizard.key.scroll",
        footer: true,
    },
    Binding {
        contexts: &[X::Question, X::Typing, X::Summary, X::Detail],
        keys: &[
            (ch('f'), Command::DataFlow),
            (key(KeyCode::F(6)), Command::DataFlow),
        ],
        label: "wizard.key.dataflow",
        footer: true,
    },
    Binding {
        contexts: SCREENS,
        keys: &[
            (ch('l'), Command::ToggleLang),
            (key(KeyCode::F(2)), Command::ToggleLang),
        ],
        label: "wizard.key.lang",
        footer: true,
    },
    Binding {
        contexts: SCREENS,
        keys: &[
            (ch('?'), Command::Help),
            (key(KeyCode::F(1)), Command::Help),
        ],
        label: "wizard.key.help",
        footer: true,
    },
    Binding {
        contexts: &[X::Form],
        keys: &[(key(KeyCode::Enter), Command::Accept)],
        label: "wizard.key.save",
        footer: true,
    },
    Binding {
        contexts: &[X::Form],
        keys: &[
            (key(KeyCode::Tab), Command::NextField),
            (key(KeyCode::Up), Command::Up),
            (key(KeyCode::Down), Command::Down),
        ],
        label: "wizard.key.next_field",
        footer: true,
    },
    Binding {
        contexts: &[X::Form, X::Conflict, X::DocsEdited, X::Help],
        keys: &[(key(KeyCode::Esc), Command::Close)],
        label: "wizard.key.cancel",
        footer: true,
    },
    Binding {
        contexts: &[X::DocsEdited],
        keys: &[(key(KeyCode::Enter), Command::Accept)],
        label: "wizard.key.write_beside",
        footer: true,
    },
    Binding {
        contexts: &[X::DocsEdited],
        keys: &[(ch('r'), Command::Overwrite)],
        label: "wizard.key.replace",
        footer: true,
    },
    Binding {
        contexts: &[X::ConfirmSecret],
        keys: &[(key(KeyCode::Enter), Command::Accept)],
        label: "wizard.key.store_anyway",
        footer: true,
    },
    Binding {
        contexts: &[X::ConfirmSecret],
        keys: &[(key(KeyCode::Esc), Command::Close)],
        label: "wizard.key.change_it",
        footer: true,
    },
    Binding {
        contexts: &[X::Conflict],
        keys: &[(ch('r'), Command::Reload)],
        label: "wizard.key.reload",
        footer: true,
    },
    Binding {
        contexts: &[X::Conflict],
        keys: &[(ch('o'), Command::Overwrite)],
        label: "wizard.key.overwrite",
        footer: true,
    },
    Binding {
        contexts: &[
            X::Question,
            X::Typing,
            X::Summary,
            X::Detail,
            X::DataFlow,
            X::Form,
            X::Conflict,
            X::ConfirmSecret,
            X::DocsEdited,
            X::Help,
            X::Review,
            X::Confirm,
            X::Acceptance,
        ],
        keys: &[(ch('q'), Command::Quit), (ctrl('c'), Command::Quit)],
        label: "wizard.key.quit",
        footer: true,
    },
];

fn is_printable(k: Key) -> bool {
    matches!(k.code, KeyCode::Char(_))
        && !k.mods.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
}

fn is_typing_context(c: Context) -> bool {
    matches!(c, Context::Typing | Context::Form)
}

/// The command a key gives in a context (printable keys type in a typing context).
pub fn lookup(ctx: Context, k: Key) -> Option<Command> {
    if is_typing_context(ctx) && is_printable(k) {
        return None;
    }
    BINDINGS
        .iter()
        .filter(|b| b.contexts.contains(&ctx))
        .flat_map(|b| b.keys.iter())
        .find(|(bk, _)| *bk == k)
        .map(|(_, c)| *c)
}

/// The keys of a binding that really reach it in a context.
pub(super) fn usable_keys(b: &Binding, ctx: Context) -> Vec<Key> {
    b.keys
        .iter()
        .filter(|(k, c)| lookup(ctx, *k) == Some(*c))
        .map(|(k, _)| *k)
        .collect()
}

pub fn key_label(k: Key) -> String {
    let base = match k.code {
        KeyCode::Enter => "Enter".to_string(),
        KeyCode::Up => "↑".into(),
        KeyCode::Down => "↓".into(),
        KeyCode::Left => "←".into(),
        KeyCode::Right => "→".into(),
        KeyCode::Home => "Home".into(),
        KeyCode::End => "End".into(),
        KeyCode::PageUp => "PgUp".into(),
        KeyCode::PageDown => "PgDn".into(),
        KeyCode::Tab => "Tab".into(),
        KeyCode::BackTab => "⇧Tab".into(),
        KeyCode::Backspace => "⌫".into(),
        KeyCode::Delete => "Del".into(),
        KeyCode::Esc => "Esc".into(),
        KeyCode::F(n) => format!("F{n}"),
        KeyCode::Char(' ') => "Space".into(),
        KeyCode::Char(c) => c.to_string(),
        _ => "?".into(),
    };
    if k.mods.contains(KeyModifiers::CONTROL) {
        format!("Ctrl-{}", base.to_uppercase())
    } else {
        base
    }
}

/// Keys shown together: `↑↓`, `←/PgUp`.
pub(super) fn keys_text(keys: &[Key], max: usize) -> String {
    let mut out = String::new();
    let mut prev: Option<Key> = None;
    for k in keys.iter().take(max) {
        let arrows = prev.is_some_and(|p| {
            matches!(
                (p.code, k.code),
                (KeyCode::Up, KeyCode::Down) | (KeyCode::Left, KeyCode::Right)
            )
        });
        if prev.is_some() && !arrows {
            out.push('/');
        }
        out.push_str(&key_label(*k));
        prev = Some(*k);
    }
    out
}

/// The first usable key for a command in a context, for inline hints (“Why we ask (w)”).
pub fn key_for(ctx: Context, cmd: Command) -> Option<String> {
    BINDINGS
        .iter()
        .filter(|b| b.contexts.contains(&ctx))
        .flat_map(|b| usable_keys(b, ctx).into_iter().map(move |k| (k, b)))
        .find(|(k, _)| lookup(ctx, *k) == Some(cmd))
        .map(|(k, _)| key_label(k))
}

/// Maps a terminal event to a machine event.
pub fn to_event(flow: &Flow<'_>, ev: &CEvent) -> Option<Event> {
    match ev {
        CEvent::Key(KeyEvent {
            code,
            modifiers,
            kind,
            ..
        }) if *kind != KeyEventKind::Release => {
            let k = Key {
                code: *code,
                // Shift is part of the character itself.
                mods: *modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT),
            };
            let ctx = flow.context();
            if let Some(c) = lookup(ctx, k) {
                return Some(Event::Cmd(c));
            }
            if let KeyCode::Char(c) = code
                && is_typing_context(ctx)
                && is_printable(k)
            {
                return Some(Event::Char(*c));
            }
            // Any other key closes the help overlay.
            (ctx == Context::Help).then_some(Event::Cmd(Command::Close))
        }
        CEvent::Paste(s) => Some(Event::Paste(s.clone())),
        _ => None,
    }
}
