//! [`dual_test!`](crate::dual_test): one test body, written once, run against both clients. Inside the
//! body `groq` names the client's crate and `wait!(e)` is `e.await` for `groq-async` (the body runs in one
//! `block_on` of a two-worker runtime) and `e` for `groq-blocking` (it runs on the test thread). For
//! scenarios that need a setting or a transport the [`Driver`](crate::driver::Driver) does not offer.

/// Expands each `fn name() { body }` into a module `name` with the tests `async_client` and
/// `blocking_client`.
#[macro_export]
macro_rules! dual_test {
    ($(fn $name:ident() $body:block)*) => {$(
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[test]
            fn async_client() {
                #[allow(unused_imports)]
                use groq_async as groq;
                #[allow(unused_macros)]
                macro_rules! wait {
                    ($e:expr) => {
                        $e.await
                    };
                }
                $crate::driver::runtime().block_on(async $body)
            }

            #[test]
            fn blocking_client() {
                #[allow(unused_imports)]
                use groq_blocking as groq;
                #[allow(unused_macros)]
                macro_rules! wait {
                    ($e:expr) => {
                        $e
                    };
                }
                $body
            }
        }
    )*};
}
