//! Cost of running whole scenarios natively (the browser runs the same code in wasm).

use criterion::{criterion_group, criterion_main, Criterion};
use fota_sim::{Scenario, World};

fn bench(c: &mut Criterion) {
    let scenario = Scenario::by_id("pull-success").expect("built-in scenario");
    c.bench_function("pull-success to the end", |b| {
        b.iter(|| {
            let mut w = World::new(scenario.clone(), 1);
            w.run_to_end();
            w.trace().len()
        })
    });
    let mut done = World::new(scenario.clone(), 1);
    done.run_to_end();
    c.bench_function("clone a finished pull-success world", |b| {
        b.iter(|| done.clone())
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
