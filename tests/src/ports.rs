//! A loopback port that refuses connections, for tests of connection failures.
//!
//! A port bound and released at once (`TcpListener::bind("127.0.0.1:0")`, then dropped) is free for any
//! other test of the same process to listen on before the client connects, and the client then reaches
//! that test's server. [`RefusingPort`] keeps its port bound, but not listening, for as long as it lives:
//! no one else can take it, and every connection to it is refused.

use socket2::{Domain, Socket, Type};
use std::net::{Ipv4Addr, SocketAddr};

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
        let socket = Socket::new(Domain::IPV4, Type::STREAM, None).expect("a TCP socket");
        let any_port = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
        socket.bind(&any_port.into()).expect("a loopback port");
        let addr = socket
            .local_addr()
            .ok()
            .and_then(|addr| addr.as_socket())
            .expect("the bound address");
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

#[cfg(test)]
mod tests {
    use super::RefusingPort;
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
}
