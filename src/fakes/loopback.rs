//! The HTTP server under heatbed's own services (the fake Heat, the recording Heat proxy):
//! hyper on a free loopback port, HTTP/1 and 2, every connection on its own task and every
//! request handed to one async handler, so requests are answered concurrently. A handler
//! that answers [`close`] has the connection closed instead. Dropping the handle stops
//! accepting connections.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo};
use tokio::net::TcpListener;
use tokio::sync::watch;

/// What a handler answers.
pub(crate) type Response = hyper::Response<Full<Bytes>>;

/// Marks a response the server must not send: the connection is closed instead (a fault
/// step's outage that refuses). Also the error hyper is given to close it.
#[derive(Debug, Clone, Copy, thiserror::Error)]
#[error("closed without an answer (outage)")]
pub(crate) struct Close;

/// A response that closes the connection without an answer.
pub(crate) fn close() -> Response {
    let mut response = Response::new(Full::new(Bytes::new()));
    response.extensions_mut().insert(Close);
    response
}

/// A running server.
pub(crate) struct Loopback {
    /// `http://127.0.0.1:<port>`.
    pub(crate) uri: String,
    _stop: watch::Sender<()>,
}

/// Binds a free loopback port and answers every request with `handler`.
pub(crate) async fn serve<H, F>(handler: H) -> std::io::Result<Loopback>
where
    H: Fn(hyper::Request<Incoming>) -> F + Send + Sync + 'static,
    F: Future<Output = Response> + Send + 'static,
{
    let listener = TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0))).await?;
    let uri = format!("http://{}", listener.local_addr()?);
    let (stop, mut stopped) = watch::channel(());
    let handler = Arc::new(handler);
    tokio::spawn(async move {
        loop {
            let stream = tokio::select! {
                accepted = listener.accept() => match accepted {
                    Ok((stream, _)) => stream,
                    Err(_) => continue,
                },
                _ = stopped.changed() => break,
            };
            let handler = Arc::clone(&handler);
            tokio::spawn(async move {
                let service = service_fn(move |request| {
                    let answer = handler(request);
                    async move {
                        let answer = answer.await;
                        match answer.extensions().get::<Close>() {
                            Some(_) => Err(Close),
                            None => Ok(answer),
                        }
                    }
                });
                // A connection error (the client went away) ends only this connection.
                let _ = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new())
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    Ok(Loopback { uri, _stop: stop })
}
