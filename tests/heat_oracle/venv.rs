//! Heat's own engine in a throwaway venv under `target/`, made on first use and reused:
//! `openstack-heat` without its dependencies (its API, clients and database are not needed)
//! plus the few libraries its template and function code imports.

use std::path::PathBuf;

#[path = "../support/venv.rs"]
mod support;

/// The engine the fake is compared with.
const HEAT: &str = "openstack-heat==27.0.1";

/// What `heat.engine.{template,stack,hot.functions}` import, pinned as verified.
const LIBRARIES: [&str; 20] = [
    "oslo.config==10.7.0",
    "oslo.log==8.3.2",
    "oslo.serialization==5.11.0",
    "oslo.utils==10.2.0",
    "oslo.i18n==6.9.0",
    "oslo.cache==4.3.0",
    "oslo.policy==6.0.1",
    "oslo.db==18.1.1",
    "oslo.messaging==18.3.1",
    "oslo.versionedobjects==3.12.0",
    "osprofiler==4.4.0",
    "yaql==3.2.0",
    "Paste==3.10.1",
    "PasteDeploy==3.1.0",
    "WebOb==1.8.11",
    "Routes==2.5.1",
    "lxml==6.1.3",
    "keystoneauth1==5.18.1",
    "cryptography==50.0.2",
    "tenacity==9.2.1",
];

/// The venv's python, the venv made and filled first if needed (`None`: skip; see
/// `support/venv.rs`).
pub(crate) fn python() -> Option<PathBuf> {
    let venv = support::venv("heat-oracle-venv", &[&["--no-deps", HEAT], &LIBRARIES])?;
    Some(venv.join("bin/python"))
}
