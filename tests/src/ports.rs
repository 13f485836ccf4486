//! A loopback port that refuses connections, for tests of connection failures.
//!
//! A port bound and released at once (`TcpListener::bind("127.0.0.1:0")`, then dropped) is free for any
//! other test of the same process to listen on before the client connects, and the client then reaches
//! that test's server. [`RefusingPort`] keeps its port bound, but not listening, for as long as it lives:
//! no one else can take it, and every connection to it is refused.

use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4};

/// A loopback port bound by a socket that never listens: connecting to it is refused.
#[derive(Debug)]
pub struct RefusingPort {
    fd: libc::c_int,
    addr: SocketAddr,
}

impl RefusingPort {
    /// Binds a free loopback port.
    ///
    /// # Panics
    ///
    /// When the system refuses a socket or a port (the test cannot run then).
    pub fn new() -> Self {
        let loopback = libc::sockaddr_in {
            sin_family: libc::AF_INET as libc::sa_family_t,
            sin_port: 0,
            sin_addr: libc::in_addr {
                s_addr: u32::from(Ipv4Addr::LOCALHOST).to_be(),
            },
            sin_zero: [0; 8],
        };
        let size = std::mem::size_of::<libc::sockaddr_in>() as libc::socklen_t;
        // SAFETY: plain socket calls on a descriptor this value owns, with a `sockaddr_in` of the size
        // given; the descriptor is closed in `drop` (or here, on failure).
        unsafe {
            let fd = libc::socket(libc::AF_INET, libc::SOCK_STREAM | libc::SOCK_CLOEXEC, 0);
            assert!(fd >= 0, "socket: {}", std::io::Error::last_os_error());
            let mut bound = loopback;
            let mut length = size;
            let ok = libc::bind(fd, (&raw const loopback).cast(), size) == 0
                && libc::getsockname(fd, (&raw mut bound).cast(), &mut length) == 0;
            if !ok {
                let error = std::io::Error::last_os_error();
                libc::close(fd);
                panic!("cannot bind a loopback port: {error}");
            }
            let port = u16::from_be(bound.sin_port);
            Self {
                fd,
                addr: SocketAddr::V4(SocketAddrV4::new(Ipv4Addr::LOCALHOST, port)),
            }
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

impl Drop for RefusingPort {
    fn drop(&mut self) {
        // SAFETY: the descriptor was opened by `new` and is closed once, here.
        unsafe {
            libc::close(self.fd);
        }
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
