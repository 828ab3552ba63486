//! `step_kinds!` writes the step enums from one table (in `mod.rs`): the file form
//! [`StepFile`](super::StepFile) (serde, schema, first-key tag), the runtime
//! [`StepKind`](super::StepKind), and the dispatch of validation, `to_file` and `apply`.
//! Each arm names a module that owns one kind: its file form (implementing
//! [`StepForm`](super::context::StepForm)) and its runtime type (implementing
//! [`StepAction`](super::context::StepAction)).

macro_rules! step_kinds {
    ($(
        $(#[doc = $doc:literal])*
        $name:literal => $variant:ident($module:ident::$form:ident -> $step:ident)
    ),+ $(,)?) => {
        /// One step as written in a scenario file; `action` says which, and comes first.
        #[derive(Debug, Clone, PartialEq, serde::Serialize, schemars::JsonSchema)]
        #[serde(tag = "action")]
        pub enum StepFile {
            $(
                $(#[doc = $doc])*
                #[serde(rename = $name)]
                $variant($module::$form),
            )+
        }

        crate::scenario::tagged! { StepFile, "action", { $($name => $variant),+ } }

        /// What a validated step does.
        #[derive(Debug, Clone, PartialEq)]
        pub enum StepKind {
            $(
                $(#[doc = $doc])*
                $variant($module::$step),
            )+
        }

        impl StepFile {
            /// Validates the step (errors name the field below the step).
            pub(crate) fn validate(
                self,
                files: &context::FileContext<'_>,
            ) -> Result<StepKind, crate::scenario::FieldError> {
                use context::StepForm;
                match self {
                    $(StepFile::$variant(form) => form.validate(files).map(StepKind::$variant),)+
                }
            }
        }

        impl StepKind {
            /// The step's `action` name, for messages.
            pub fn action(&self) -> &'static str {
                match self {
                    $(StepKind::$variant(_) => $name,)+
                }
            }

            /// The file form that validates into this step.
            pub fn to_file(&self) -> StepFile {
                use context::StepAction;
                match self {
                    $(StepKind::$variant(step) => StepFile::$variant(step.to_file()),)+
                }
            }
        }

        /// Runs one step.
        pub(crate) async fn apply(
            ctx: &context::StepContext<'_>,
            step: &StepKind,
        ) -> Result<(), crate::run::error::StepError> {
            use context::StepAction;
            match step {
                $(StepKind::$variant(step) => step.apply(ctx).await,)+
            }
        }
    };
}
