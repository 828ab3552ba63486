//! Whether the `etcd` binary the embedded backends run is here: tests that kill and restart
//! an etcd heatbed started need it (a container or an external etcd cannot be killed).

/// True when `ETCD_BIN` is set or `etcd` is on `PATH`; otherwise prints `SKIP: <why>` and
/// returns false, and under `CI=true` fails instead, so CI never skips silently.
pub fn etcd_binary(why: &str) -> bool {
    let found = std::env::var_os("ETCD_BIN").is_some()
        || std::env::var_os("PATH")
            .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join("etcd").is_file()));
    if !found {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "no etcd binary under CI"
        );
        println!("SKIP: no etcd binary ({why})");
    }
    found
}
