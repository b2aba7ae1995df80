//! Errors meant for the user: one sentence plus an optional hint.

/// An error that `main` prints as `error: <message>` and `  hint: <hint>`,
/// exiting with `exit_code` (2 = could not run, unless a command says
/// otherwise).
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct UserError {
    pub message: String,
    pub hint: Option<String>,
    pub exit_code: u8,
}

impl UserError {
    #[must_use]
    pub fn new(message: impl Into<String>) -> Self {
        UserError {
            message: message.into(),
            hint: None,
            exit_code: 2,
        }
    }

    #[must_use]
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    #[must_use]
    pub fn exit_code(mut self, code: u8) -> Self {
        self.exit_code = code;
        self
    }
}

/// Shorthand for `Err(UserError::new(..).hint(..).into())`.
#[macro_export]
macro_rules! bail_user {
    ($msg:expr) => {
        return Err($crate::error::UserError::new($msg).into())
    };
    ($msg:expr, hint = $hint:expr) => {
        return Err($crate::error::UserError::new($msg).hint($hint).into())
    };
}
