//! How to isolate scenarios: an etcd of their own, or one shared etcd wiped in between?
//! Prints the cost of each, plus a whole scenario run. `cargo bench --bench isolation`.

use std::time::{Duration, Instant};

use heatbed::etcd::{Backend, Provider};
use heatbed::run::run_scenario;
use heatbed::scenario::load;

const ROUNDS: u32 = 10;

fn main() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let start = timed(|| async { drop(Backend::Embedded.start().await.expect("etcd")) }).await;
        println!(
            "own etcd per scenario: start + stop   {:>8.1?} per scenario",
            start
        );

        let own = Backend::Embedded.start().await.expect("etcd");
        let provider = Provider::new(&Backend::External(own.endpoints().to_vec()))
            .await
            .expect("shared");
        let wipe = timed(|| async {
            let mut client = own.client();
            for i in 0..100 {
                client.put(format!("/k/{i}"), "v", None).await.expect("put");
            }
            drop(provider.acquire().await.expect("wipe"));
        })
        .await;
        println!(
            "shared etcd: wipe of 100 keys          {:>8.1?} per scenario",
            wipe
        );

        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/gohan_writes.yaml");
        let scenario = load(&path).expect("scenario");
        let run = timed(|| async {
            let lease = provider.acquire().await.expect("etcd");
            run_scenario(&scenario, &lease, None).await.expect("run");
        })
        .await;
        println!(
            "gohan_writes scenario on a clean etcd  {:>8.1?} per run",
            run
        );
    });
}

async fn timed<F, Fut>(mut f: F) -> Duration
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let started = Instant::now();
    for _ in 0..ROUNDS {
        f().await;
    }
    started.elapsed() / ROUNDS
}
