//! The accept loop shared by the consoles and the simulated nodes. It exists (instead of
//! `axum::serve`) so a "down" region can refuse service at the connection level: while
//! down, new connections are closed as soon as they are accepted and open ones are dropped,
//! so a client sees a connection error, never an HTTP answer.

use axum::response::Response;
use hyper::body::Incoming;
use hyper::Request;
use hyper_util::rt::{TokioExecutor, TokioIo};
use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinSet;
use tokio_rustls::TlsAcceptor;

/// Answers one request; gets the peer address for per-client bookkeeping.
pub(crate) type Handler = Arc<
    dyn Fn(Request<Incoming>, SocketAddr) -> Pin<Box<dyn Future<Output = Response> + Send>>
        + Send
        + Sync,
>;

const TLS_HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(5);

/// Serves `listener` until `shutdown` turns true (or its sender goes away).
pub(crate) async fn serve(
    listener: TcpListener,
    handler: Handler,
    down: watch::Receiver<bool>,
    mut shutdown: watch::Receiver<bool>,
    tls: Option<TlsAcceptor>,
) {
    let mut conns = JoinSet::new();
    loop {
        tokio::select! {
            _ = shutdown.wait_for(|s| *s) => break,
            accepted = listener.accept() => {
                let Ok((stream, peer)) = accepted else { continue };
                if *down.borrow() {
                    drop(stream);
                    continue;
                }
                let _ = stream.set_nodelay(true);
                let handler = handler.clone();
                let tls = tls.clone();
                let mut down = down.clone();
                conns.spawn(async move {
                    let work = async move {
                        match tls {
                            None => serve_io(stream, handler, peer).await,
                            Some(acceptor) => {
                                let handshake =
                                    tokio::time::timeout(TLS_HANDSHAKE_TIMEOUT, acceptor.accept(stream));
                                if let Ok(Ok(tls_stream)) = handshake.await {
                                    serve_io(tls_stream, handler, peer).await;
                                }
                            }
                        }
                    };
                    let went_down = async move {
                        if down.wait_for(|d| *d).await.is_err() {
                            std::future::pending::<()>().await;
                        }
                    };
                    // Biased: a request that arrives on a kept-alive connection after the region
                    // went down must find it down, never be served by a lucky draw.
                    tokio::select! {
                        biased;
                        _ = went_down => {},
                        _ = work => {},
                    }
                });
            }
            Some(_) = conns.join_next(), if !conns.is_empty() => {}
        }
    }
    conns.shutdown().await;
}

async fn serve_io<I>(io: I, handler: Handler, peer: SocketAddr)
where
    I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let service = hyper::service::service_fn(move |req: Request<Incoming>| {
        let handler = handler.clone();
        async move { Ok::<_, Infallible>(handler(req, peer).await) }
    });
    let builder = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new());
    let _ = builder.serve_connection(TokioIo::new(io), service).await;
}

/// Binds 127.0.0.1:`port` (0 = any free port).
pub(crate) async fn bind_loopback(port: u16) -> std::io::Result<TcpListener> {
    TcpListener::bind(("127.0.0.1", port)).await
}
