//! `symflow test`: the `.symtest.hcl` model, the flow's configuration from
//! the module, the Python driver, result comparison and the reports.

pub mod model;
pub mod flow;
pub mod driver;
pub mod embed;
pub mod compare;
pub mod report;
