//! The accept loop shared by the consoles and the simulated nodes. It exists (instead of
//! `axum::serve`) so a "down" region or node can refuse service at the connection level:
//! while down, new connections are closed as soon as they are accepted and open ones are
//! dropped, so a client sees a connection error, never an HTTP answer.

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
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
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

/// When a server refuses service: while any of its flags is up (a node follows its region's
/// flag and its own).
#[derive(Clone)]
pub(crate) struct DownWhen(Vec<watch::Receiver<bool>>);

impl DownWhen {
    pub(crate) fn new(flag: watch::Receiver<bool>) -> DownWhen {
        DownWhen(vec![flag])
    }

    /// Also down while `flag` is up.
    pub(crate) fn or(mut self, flag: watch::Receiver<bool>) -> DownWhen {
        self.0.push(flag);
        self
    }

    fn is_down(&self) -> bool {
        self.0.iter().any(|flag| *flag.borrow())
    }

    /// Resolves once any flag is up. A flag whose sender is gone never goes up.
    async fn went_down(mut self) {
        let waits = self.0.iter_mut().map(|flag| {
            Box::pin(async move {
                if flag.wait_for(|d| *d).await.is_err() {
                    std::future::pending::<()>().await;
                }
            })
        });
        // never empty: `new` takes the first flag
        futures::future::select_all(waits).await;
    }
}

/// Serves `listener` until `shutdown` turns true (or its sender goes away).
pub(crate) async fn serve(
    listener: TcpListener,
    handler: Handler,
    down: DownWhen,
    mut shutdown: watch::Receiver<bool>,
    tls: Option<TlsAcceptor>,
) {
    let mut conns = JoinSet::new();
    loop {
        tokio::select! {
            _ = shutdown.wait_for(|s| *s) => break,
            accepted = listener.accept() => {
                let Ok((stream, peer)) = accepted else { continue };
                if down.is_down() {
                    drop(stream);
                    continue;
                }
                let _ = stream.set_nodelay(true);
                let handler = handler.clone();
                let tls = tls.clone();
                let down = down.clone();
                conns.spawn(async move {
                    let work = async move {
                        match tls {
                            None => serve_io(stream, handler, peer).await,
                            Some(acceptor) => {
                                let stream = match plain_http(stream).await {
                                    Some(stream) => stream,
                                    None => return,
                                };
                                let handshake =
                                    tokio::time::timeout(TLS_HANDSHAKE_TIMEOUT, acceptor.accept(stream));
                                if let Ok(Ok(tls_stream)) = handshake.await {
                                    serve_io(tls_stream, handler, peer).await;
                                }
                            }
                        }
                    };
                    let went_down = down.went_down();
                    // Biased: a request that arrives on a kept-alive connection after the region
                    // (or node) went down must find it down, never be served by a lucky draw.
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

/// Go's TLS servers answer a plain HTTP request on their port instead of failing the
/// handshake silently (`tlsRecordHeaderLooksLikeHTTP`, fixtures' recording 70). Answers the
/// stream back when it starts like TLS (or like nothing known), `None` once it was answered.
async fn plain_http(mut stream: TcpStream) -> Option<TcpStream> {
    const LOOKS_LIKE_HTTP: [&[u8]; 5] = [b"GET /", b"HEAD ", b"POST ", b"PUT /", b"OPTIO"];
    let mut head = [0u8; 5];
    let peeked = tokio::time::timeout(TLS_HANDSHAKE_TIMEOUT, async {
        loop {
            match stream.peek(&mut head).await {
                Ok(n) if n >= 5 || n == 0 || head[0] == 0x16 => return n,
                Ok(_) => tokio::time::sleep(Duration::from_millis(5)).await,
                Err(_) => return 0,
            }
        }
    })
    .await;
    match peeked {
        Ok(5) if LOOKS_LIKE_HTTP.contains(&&head[..]) => {
            let _ = stream
                .write_all(
                    b"HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an HTTPS server.\n",
                )
                .await;
            let _ = stream.shutdown().await;
            None
        }
        Ok(0) | Err(_) => None,
        Ok(_) => Some(stream),
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn down_when_any_flag_is_up() {
        let (region, region_rx) = watch::channel(false);
        let (node, node_rx) = watch::channel(false);
        let down = DownWhen::new(region_rx).or(node_rx);
        assert!(!down.is_down());
        node.send_replace(true);
        assert!(down.is_down(), "the node's own flag");
        let within = Duration::from_secs(5);
        tokio::time::timeout(within, down.clone().went_down())
            .await
            .expect("went down");
        node.send_replace(false);
        region.send_replace(true);
        assert!(down.is_down(), "the region's flag");
        tokio::time::timeout(within, down.went_down())
            .await
            .expect("went down");
    }
}
