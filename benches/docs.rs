//! Document pipeline benchmarks (divan): each step of `report --format md` and `privacy` timed on
//! its own for the largest example — compiling the templates, building the typed context,
//! rendering the Markdown, and the HTML conversion. Run: `cargo bench --bench docs`.
//! The whole-process figures come from `benches/outputs-timing.sh`.

use agentguard::docs::{self, Doc, Format, Input, Templates};
use agentguard::model::{Knowledge, Lang};
use agentguard::{Assessment, Findings, Sources, i18n::Ui, load};

fn main() {
    divan::main();
}

struct World {
    k: Knowledge,
    a: Assessment,
    f: Findings,
}

fn world() -> World {
    let k = agentguard::knowledge(&Sources::embedded())
        .expect("catalog")
        .0;
    let p = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/kids-homework-miniprogram.yaml"
    );
    let a = load::assessment(p, &std::fs::read(p).expect("read"), &k)
        .expect("valid")
        .0;
    let f = agentguard::evaluate(&k, &a, today());
    World { k, a, f }
}

fn today() -> i64 {
    agentguard::util::parse_date("2026-11-26").expect("date")
}

fn input<'a>(w: &'a World, ui: &'a Ui) -> Input<'a> {
    Input {
        knowledge: &w.k,
        assessment: &w.a,
        findings: &w.f,
        ui,
        file: "agentguard.yaml",
        today: today(),
    }
}

#[divan::bench(args = [Doc::Checklist, Doc::Privacy])]
fn compile_md(b: divan::Bencher, doc: Doc) {
    let ui = Ui::embedded();
    let s = Sources::embedded();
    b.bench(|| Templates::only(ui, &s, &[doc.template()], false).expect("compile"));
}

#[divan::bench]
fn checklist_context(b: divan::Bencher) {
    let w = world();
    let ui = Ui::embedded();
    let inp = input(&w, ui);
    b.bench(|| docs::checklist::build(divan::black_box(&inp), Lang::En));
}

#[divan::bench]
fn privacy_context(b: divan::Bencher) {
    let w = world();
    let ui = Ui::embedded();
    let inp = input(&w, ui);
    b.bench(|| docs::privacy::build(divan::black_box(&inp), Lang::Zh));
}

#[divan::bench]
fn checklist_context_to_json(b: divan::Bencher) {
    let w = world();
    let ui = Ui::embedded();
    let inp = input(&w, ui);
    let ctx = docs::checklist::build(&inp, Lang::En);
    b.bench(|| serde_json::to_value(divan::black_box(&ctx)).expect("json"));
}

#[divan::bench(args = [Doc::Checklist, Doc::Privacy])]
fn render_md(b: divan::Bencher, doc: Doc) {
    let w = world();
    let ui = Ui::embedded();
    let inp = input(&w, ui);
    let t = Templates::only(ui, &Sources::embedded(), &[doc.template()], false).expect("compile");
    b.bench(|| docs::render(&t, doc, Format::Md, divan::black_box(&inp), &[Lang::En]).expect("md"));
}

#[divan::bench(args = [Doc::Checklist, Doc::Privacy])]
fn render_html(b: divan::Bencher, doc: Doc) {
    let w = world();
    let ui = Ui::embedded();
    let inp = input(&w, ui);
    let t = Templates::only(ui, &Sources::embedded(), &[doc.template()], true).expect("compile");
    b.bench(|| {
        docs::render(&t, doc, Format::Html, divan::black_box(&inp), &[Lang::En]).expect("html")
    });
}
