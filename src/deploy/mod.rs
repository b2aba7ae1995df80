//! Deploy: the desired state from the module, remote state read by natural
//! key, a pure [`plan::plan`], and the effectful [`apply::apply`].

pub mod apply;
pub mod desired;
pub mod plan;
pub mod progress;
pub mod read;
pub mod render;

pub use apply::{apply, ApplyOptions, Outcome, Report, Resolve};
pub use desired::Desired;
pub use plan::{plan, Action, Plan, RemoteState};
