//! [`dual_test!`](crate::dual_test): one test body, written once, run against both clients. Inside the
//! body `groq` names the client's crate and `wait!(e)` is `e.await` for `groq-async` (the body runs in one
//! `block_on` of a two-worker runtime) and `e` for `groq-blocking` (it runs on the test thread). For
//! scenarios that need a setting or a transport the [`Driver`](crate::driver::Driver) does not offer.
//!
//! [`adapter_for_both!`](crate::adapter_for_both): the blocking view of both clients that the drivers
//! (`driver*.rs`) give their scenarios, written once in the same way.

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

/// Compiles the items given to it (`impl`s and `fn`s) twice, as the SDK's facade is compiled into its two
/// crates: as they are in a module `async_side`, and through maybe-async's `must_be_sync` (every `.await`
/// and `async` block removed) in a module `blocking_side`. They are written as `groq-async` code in which
/// `groq` names the client's crate and `Side` the adapter: the calling module's `Async` or `Blocking`,
/// each with a method `run` that gives a blocking call's result (`Async` runs the future on its runtime,
/// `Blocking` returns the value it is given). Both modules see the calling module's items.
///
/// ```
/// use groq_types::sdk::Error;
///
/// /// A view of both clients, as a scenario calls them.
/// pub trait Models {
///     fn count(&self) -> Result<usize, Error>;
/// }
///
/// struct Async {
///     client: groq_async::Client,
///     runtime: tokio::runtime::Runtime,
/// }
/// impl Async {
///     fn run<T>(&self, call: impl std::future::Future<Output = T>) -> T {
///         self.runtime.block_on(call)
///     }
/// }
///
/// struct Blocking {
///     client: groq_blocking::Client,
/// }
/// impl Blocking {
///     fn run<T>(&self, result: T) -> T {
///         result
///     }
/// }
///
/// groq_tests::adapter_for_both! {
///     impl Models for Side {
///         fn count(&self) -> Result<usize, Error> {
///             self.run(async { Ok(self.client.models().list().await?.data.len()) })
///         }
///     }
/// }
///
/// fn main() {
///     let client = groq_blocking::Client::builder().api_key("k").build().unwrap();
///     let view: &dyn Models = &Blocking { client };
///     # let _ = view;
/// }
/// ```
#[macro_export]
macro_rules! adapter_for_both {
    ($($item:item)*) => {
        mod async_side {
            #[allow(unused_imports)]
            use super::*;
            #[allow(unused_imports)]
            use futures::StreamExt as _;
            #[allow(unused_imports)]
            use groq_async as groq;
            #[allow(unused_imports)]
            use super::Async as Side;
            $($item)*
        }
        mod blocking_side {
            #[allow(unused_imports)]
            use super::*;
            #[allow(unused_imports)]
            use groq_blocking as groq;
            #[allow(unused_imports)]
            use super::Blocking as Side;
            $(#[::maybe_async::must_be_sync] $item)*
        }
    };
}
