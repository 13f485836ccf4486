//! Loopback ports that refuse connections or never complete them, for tests of connection failures.
//!
//! A port bound and released at once (`TcpListener::bind("127.0.0.1:0")`, then dropped) is free for any
//! other test of the same process to listen on before the client connects, and the client then reaches
//! that test's server. [`RefusingPort`] keeps its port bound, but not listening, for as long as it lives:
//! no one else can take it, and every connection to it is refused.
//!
//! [`HangingPort`] listens, but its accept queue is full and nothing ever accepts: the system drops every
//! further connection request unanswered, so connecting hangs until the connecting side gives up (a
//! connect timeout), as it does against a host that does not answer, without leaving the machine.

use socket2::{Domain, Socket, Type};
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::time::Duration;

/// A TCP socket bound to a free loopback port, and that port's address.
///
/// # Panics
///
/// When the system refuses a socket or a port (the test cannot run then).
fn bound_loopback() -> (Socket, SocketAddr) {
    let socket = Socket::new(Domain::IPV4, Type::STREAM, None).expect("a TCP socket");
    let any_port = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
    socket.bind(&any_port.into()).expect("a loopback port");
    let addr = socket
        .local_addr()
        .ok()
        .and_then(|addr| addr.as_socket())
        .expect("the bound address");
    (socket, addr)
}

/// A loopback port bound by a socket that never listens: connecting to it is refused.
#[derive(Debug)]
pub struct RefusingPort {
    _socket: Socket,
    addr: SocketAddr,
}

impl RefusingPort {
    /// Binds a free loopback port.
    ///
    /// # Panics
    ///
    /// When the system refuses a socket or a port (the test cannot run then).
    pub fn new() -> Self {
        let (socket, addr) = bound_loopback();
        Self {
            _socket: socket,
            addr,
        }
    }

    /// The refusing address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://` and the refusing address.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Default for RefusingPort {
    fn default() -> Self {
        Self::new()
    }
}

/// A loopback port that listens with a full accept queue and never accepts: connecting to it hangs.
#[derive(Debug)]
pub struct HangingPort {
    _listener: Socket,
    /// The connections that filled the accept queue, held open for as long as the port lives.
    _queued: Vec<TcpStream>,
    addr: SocketAddr,
}

impl HangingPort {
    /// Listens on a free loopback port with the smallest backlog and fills its accept queue: connections
    /// are made until one is no longer answered within a short wait.
    ///
    /// # Panics
    ///
    /// When the system refuses a socket or a port, or answers every connection however many are queued
    /// (a system on which connecting cannot be made to hang this way; the test cannot run then).
    pub fn new() -> Self {
        let (listener, addr) = bound_loopback();
        listener.listen(0).expect("listen");
        // Two unanswered attempts in a row: a loopback connection to a listener with room in its queue
        // is answered at once, but a busy machine might still stall one attempt.
        let mut queued = Vec::new();
        let mut unanswered = 0;
        for _ in 0..64 {
            match TcpStream::connect_timeout(&addr, Duration::from_millis(300)) {
                Ok(stream) => {
                    queued.push(stream);
                    unanswered = 0;
                }
                Err(error) if error.kind() == std::io::ErrorKind::TimedOut => {
                    unanswered += 1;
                    if unanswered == 2 {
                        return Self {
                            _listener: listener,
                            _queued: queued,
                            addr,
                        };
                    }
                }
                Err(error) => panic!("filling the accept queue of {addr}: {error}"),
            }
        }
        panic!(
            "{addr} answered 64 connections that were never accepted: connecting never hangs here"
        );
    }

    /// The hanging address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://` and the hanging address.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Default for HangingPort {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::{HangingPort, RefusingPort};
    use std::net::TcpStream;
    use std::time::Duration;

    #[test]
    fn connections_are_refused_while_it_lives() {
        let port = RefusingPort::new();
        for _ in 0..3 {
            let error =
                TcpStream::connect_timeout(&port.addr(), Duration::from_secs(10)).unwrap_err();
            assert_eq!(
                error.kind(),
                std::io::ErrorKind::ConnectionRefused,
                "{error}"
            );
        }
        // No listener can take the port from it meanwhile.
        assert!(std::net::TcpListener::bind(port.addr()).is_err());
        assert!(port.url().starts_with("http://127.0.0.1:"));
    }

    #[test]
    fn connecting_hangs_while_it_lives() {
        let port = HangingPort::new();
        for _ in 0..2 {
            let error =
                TcpStream::connect_timeout(&port.addr(), Duration::from_millis(500)).unwrap_err();
            assert_eq!(error.kind(), std::io::ErrorKind::TimedOut, "{error}");
        }
        assert!(port.url().starts_with("http://127.0.0.1:"));
    }
}
