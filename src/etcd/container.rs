//! etcd in a container started with testcontainers, from an image built locally by
//! `ci/build-etcd-image.sh` (no registry is needed).

use etcd_client::Client;
use testcontainers::core::{ContainerPort, IntoContainerPort};
use testcontainers::runners::AsyncRunner;
use testcontainers::{ContainerAsync, GenericImage, ImageExt};

use super::EtcdError;
use super::ready::wait_ready;

/// The default image name and tag (`HEATBED_ETCD_IMAGE` overrides).
pub(super) const DEFAULT_IMAGE: &str = "heatbed-etcd:3.4.23";
const CLIENT_PORT: ContainerPort = ContainerPort::Tcp(2379);

/// A running etcd container, removed when dropped.
pub(super) struct Container {
    _container: ContainerAsync<GenericImage>,
}

impl std::fmt::Debug for Container {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Container")
    }
}

/// The image to use.
pub(super) fn image() -> String {
    std::env::var("HEATBED_ETCD_IMAGE").unwrap_or_else(|_| DEFAULT_IMAGE.to_string())
}

impl Container {
    /// Starts the container and waits until etcd answers.
    pub(super) async fn start() -> Result<(Self, String, Client), EtcdError> {
        let image = image();
        let fail = |message: String| EtcdError::Container {
            image: image.clone(),
            message,
        };
        let (name, tag) = image.rsplit_once(':').unwrap_or((&image, "latest"));
        let container = GenericImage::new(name, tag)
            .with_exposed_port(2379.tcp())
            .with_entrypoint("/usr/bin/etcd")
            .with_cmd([
                "--name",
                "heatbed",
                "--data-dir",
                "/tmp/etcd",
                "--listen-client-urls",
                "http://0.0.0.0:2379",
                "--advertise-client-urls",
                "http://127.0.0.1:2379",
                "--unsafe-no-fsync",
                "--logger",
                "zap",
                "--log-level",
                "warn",
            ])
            .start()
            .await
            .map_err(|e| fail(e.to_string()))?;
        let port = container
            .get_host_port_ipv4(CLIENT_PORT)
            .await
            .map_err(|e| fail(e.to_string()))?;
        // Docker publishes on every host address; loopback keeps endpoints uniform.
        let endpoint = format!("http://127.0.0.1:{port}");
        let client = wait_ready(std::slice::from_ref(&endpoint), || Ok(())).await?;
        Ok((
            Container {
                _container: container,
            },
            endpoint,
            client,
        ))
    }
}

/// Whether a Docker engine answers and has the image.
pub(super) fn available() -> bool {
    std::process::Command::new("docker")
        .args(["image", "inspect", &image()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}
