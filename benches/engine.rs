//! Engine benchmarks (divan): loading and evaluation timed separately, and evaluation of generated
//! catalogs of 1,000 and 10,000 threats (the real threats replicated under new ids) to check that
//! evaluation stays linear. Run: `cargo bench --bench engine`.

use agentguard::model::Knowledge;
use agentguard::{Assessment, Sources, load};

fn main() {
    divan::main();
}

fn real() -> Knowledge {
    load::knowledge(&Sources::embedded()).expect("catalog").0
}

fn example(k: &Knowledge) -> Assessment {
    let p = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/kids-homework-miniprogram.yaml"
    );
    load::assessment(p, &std::fs::read(p).expect("read"), k)
        .expect("valid")
        .0
}

/// The real catalog with its threats replicated up to `n` (new ids, same conditions).
fn scaled(n: usize) -> Knowledge {
    let mut k = real();
    let base = k.catalog.threats.clone();
    k.catalog.threats.clear();
    for i in 0..n {
        let mut t = base[i % base.len()].clone();
        t.id = format!("{}-{i}", t.id);
        k.catalog.threats.push(t);
    }
    k.catalog.reindex();
    k
}

fn today() -> i64 {
    agentguard::util::parse_date("2026-11-26").expect("date")
}

#[divan::bench]
fn load_catalog_from_yaml(b: divan::Bencher) {
    let s = Sources::embedded();
    b.bench(|| load::knowledge(divan::black_box(&s)).expect("ok"));
}

#[divan::bench]
fn load_catalog_precompiled(b: divan::Bencher) {
    let s = Sources::embedded();
    b.bench(|| agentguard::knowledge(divan::black_box(&s)).expect("ok"));
}

#[divan::bench]
fn load_assessment(b: divan::Bencher) {
    let k = real();
    let p = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/kids-homework-miniprogram.yaml"
    );
    let bytes = std::fs::read(p).expect("read");
    b.bench(|| load::assessment(p, divan::black_box(&bytes), &k).expect("ok"));
}

#[divan::bench(args = [110, 1_000, 10_000])]
fn evaluate(b: divan::Bencher, n: usize) {
    let k = if n == 110 { real() } else { scaled(n) };
    let a = example(&k);
    b.bench(|| agentguard::evaluate(divan::black_box(&k), divan::black_box(&a), today()));
}

/// The YAML half of loading an assessment, on its own (it runs while the catalog decodes).
#[divan::bench]
fn parse_assessment(b: divan::Bencher) {
    let p = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/kids-homework-miniprogram.yaml"
    );
    let bytes = std::fs::read(p).expect("read");
    b.bench(|| load::parse_assessment(p, divan::black_box(&bytes)).expect("valid"));
}

/// The same YAML read without agentguard's limits, to see what they cost.
#[divan::bench]
fn parse_assessment_unlimited(b: divan::Bencher) {
    let p = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/kids-homework-miniprogram.yaml"
    );
    let text = std::fs::read_to_string(p).expect("read");
    b.bench(|| {
        serde_saphyr::from_str::<load::raw::RawAssessment>(divan::black_box(&text)).expect("valid")
    });
}
