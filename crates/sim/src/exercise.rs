//! Exercises (the ```` ```exercice ```` directive) and their goals: predicates on the world.
//!
//! 1. The build parses an [`Exercise`] and its [`crate::Scenario`], then calls
//!    [`check_exercise`] (goals naming users or structures the learner cannot reach).
//! 2. The browser calls [`evaluate`] after each action to tick the goals.

use serde::de::value::MapAccessDeserializer;
use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};

use crate::invoice::{Amount, Cadre, Status};
use crate::scenario::{problem, Problem, Scenario};
use crate::validate;
use crate::world::{same_email, AccessLevel, AccountStatus, Espace, RequestStatus, Role, World};

mod invoices;

pub use invoices::InvoiceCriteria;

/// A simulator exercise, as written in an ```` ```exercice ```` block (docs/formats.md).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exercise {
    /// Unique in the course.
    pub id: String,
    /// Path of the scenario file, relative to `content/` (`scenarios/menuiserie.yaml`).
    pub scenario: String,
    /// Title.
    pub title: String,
    /// Objective id of book.toml.
    #[serde(default)]
    pub objective: Option<String>,
    /// Markdown telling the learner what to do.
    #[serde(default)]
    pub instructions: String,
    /// What the learner must achieve; each goal is ticked independently.
    #[serde(deserialize_with = "deserialize_goals")]
    pub goals: Vec<Goal>,
    /// Hints, shown one at a time.
    #[serde(default)]
    pub hints: Vec<String>,
}

/// A predicate on the simulated world.
///
/// Written as a one-key map: `- account_active: { email: "paul@durand.fr" }`. The same form
/// works in YAML and JSON (see [`Exercise::goals`]). Invoice goals (part 2) are added as
/// further variants; [`evaluate`] and [`check_exercise`] then get one more arm each.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Goal {
    /// An account exists with this login (activated or not).
    AccountCreated {
        /// Login.
        email: String,
    },
    /// The account is activated.
    AccountActive {
        /// Login.
        email: String,
    },
    /// The user has chosen a secret question.
    SecretQuestionSet {
        /// Login.
        email: String,
    },
    /// The user is logged in.
    LoggedIn {
        /// Login.
        email: String,
    },
    /// A structure exists with this identifier.
    StructureExists {
        /// Identifier.
        siret: String,
    },
    /// The user is gestionnaire principal of the structure.
    GestionnairePrincipal {
        /// Structure.
        siret: String,
        /// Login.
        email: String,
    },
    /// The user is attached to the structure (any role).
    UserAttached {
        /// Login.
        email: String,
        /// Structure.
        siret: String,
    },
    /// The user has a pending or decided request for the structure.
    RattachementRequested {
        /// Login.
        email: String,
        /// Structure.
        siret: String,
    },
    /// A request of the user to the structure was validated.
    RattachementValidated {
        /// Login.
        email: String,
        /// Structure.
        siret: String,
    },
    /// A request of the user to the structure was refused.
    RattachementRefused {
        /// Login.
        email: String,
        /// Structure.
        siret: String,
    },
    /// The structure has a service with this code (active or not).
    ServiceExists {
        /// Structure.
        siret: String,
        /// Code service.
        code: String,
    },
    /// The service is active.
    ServiceActive {
        /// Structure.
        siret: String,
        /// Code service.
        code: String,
    },
    /// The service exists and is deactivated.
    ServiceInactive {
        /// Structure.
        siret: String,
        /// Code service.
        code: String,
    },
    /// The user is attached to the service.
    UserInService {
        /// Login.
        email: String,
        /// Structure.
        siret: String,
        /// Code service.
        code: String,
    },
    /// The user has access to the espace: at least `level`, or any access when omitted.
    EspaceAccess {
        /// Login.
        email: String,
        /// Structure.
        siret: String,
        /// Espace.
        espace: Espace,
        /// Minimum level.
        #[serde(default)]
        level: Option<AccessLevel>,
        /// `true`: the level must be exactly `level` (e.g. consultation and not modification).
        #[serde(default)]
        exact: bool,
    },
    /// The user has no access at all to the espace.
    NoEspaceAccess {
        /// Login.
        email: String,
        /// Structure.
        siret: String,
        /// Espace.
        espace: Espace,
    },
    /// The structure has bank details with this IBAN (spaces ignored), with the
    /// « affactureur » box as given when `affactureur` is set.
    BankAccount {
        /// Structure.
        siret: String,
        /// IBAN.
        iban: String,
        /// Expected « Affactureur » box.
        #[serde(default)]
        affactureur: Option<bool>,
    },
    /// An invoice matching every given criterion was sent (any status after Brouillon):
    /// `invoice_sent: { cadre: A1, recipient_siret: "…", service_code: "…", total_ttc: "1 234,56" }`.
    InvoiceSent(InvoiceCriteria),
    /// The invoice with this number, returned « À recycler », was re-addressed (with the given
    /// recipient, service or engagement when set).
    InvoiceRecycled {
        /// Invoice number.
        number: String,
        /// Expected recipient SIRET after recycling.
        #[serde(default)]
        recipient_siret: Option<String>,
        /// Expected code service after recycling.
        #[serde(default)]
        service_code: Option<String>,
        /// Expected engagement after recycling.
        #[serde(default)]
        engagement: Option<String>,
    },
    /// The suspended invoice with this number was completed (« Complétée »).
    InvoiceCompleted {
        /// Invoice number.
        number: String,
    },
    /// The rejection (or suspension) of the invoice with this number was acknowledged.
    RejectionAcknowledged {
        /// Invoice number.
        number: String,
    },
    /// The A9/A12 invoice with this number was validated by its valideur (not tacitly).
    InvoiceValidated {
        /// Invoice number.
        number: String,
    },
    /// The A9/A12 invoice with this number was refused by its valideur.
    InvoiceRefusedByValideur {
        /// Invoice number.
        number: String,
    },
    /// The invoice with this number reached this status at some point.
    InvoiceStatusReached {
        /// Invoice number.
        number: String,
        /// Status (API code, e.g. `MISE_EN_PAIEMENT`).
        status: Status,
    },
    /// A works piece with this cadre (and number, amount HT) was deposited.
    WorksPieceDeposited {
        /// Cadre (A4, A5, A15, A19…).
        cadre: Cadre,
        /// Number.
        #[serde(default)]
        number: Option<String>,
        /// Amount HT, as a decimal string (`"7 557,20"` or `"7557.20"`).
        #[serde(default, with = "invoices::optional_amount")]
        amount_ht: Option<Amount>,
    },
    /// The MOE's état d'acompte (A15) was deposited in association with the projet de
    /// décompte with this number.
    EtatAcompteDeposited {
        /// Number of the projet de décompte (A4, A10, A13).
        projet_number: String,
        /// Amount HT accepted by the MOE.
        #[serde(default, with = "invoices::optional_amount")]
        amount_ht: Option<Amount>,
    },
    /// The état d'acompte validé (A19) following the projet de décompte with this number was
    /// deposited by the MOA: the whole chain A4 → A15 → A19 is done.
    EtatAcompteValidated {
        /// Number of the projet de décompte.
        projet_number: String,
    },
    /// End of contract: the MOE's projet de décompte général (A17) was deposited in
    /// association with the projet de décompte final (A7) with this number.
    ProjetDecompteGeneralDeposited {
        /// Number of the A7.
        final_number: String,
        /// Amount HT of the A17.
        #[serde(default, with = "invoices::optional_amount")]
        amount_ht: Option<Amount>,
    },
    /// End of contract: the MOA notified a décompte général (A20) following the A7 with this
    /// number.
    DecompteGeneralNotified {
        /// Number of the A7.
        final_number: String,
    },
    /// End of contract: the titulaire signed the décompte général following the A7 with this
    /// number; the DGD (A8) went to the service financier.
    DgdSigned {
        /// Number of the A7.
        final_number: String,
        /// `true`: signed with reserves; `false`: without; omitted: either.
        #[serde(default)]
        with_reserves: Option<bool>,
    },
    /// End of contract: the titulaire refused the décompte général following the A7 with
    /// this number.
    DecompteGeneralRefused {
        /// Number of the A7.
        final_number: String,
    },
    /// Tacit route: the titulaire deposited the DGD tacite (A23) following the A7 with this
    /// number.
    DgdTacite {
        /// Number of the A7.
        final_number: String,
    },
    /// A sollicitation was sent (with this category, sub-category, invoice number when set).
    SollicitationSent {
        /// Catégorie.
        #[serde(default)]
        category: Option<String>,
        /// Sous-catégorie.
        #[serde(default)]
        subcategory: Option<String>,
        /// Number of the invoice concerned.
        #[serde(default)]
        invoice_number: Option<String>,
    },
}

/// Finds the goals of an exercise that can never be reached from its scenario: a user who is
/// neither in the scenario nor the learner, a structure that neither exists nor can be created
/// from the register, an invalid code service or IBAN, a service absent from a structure that
/// the learner cannot manage.
pub fn check_exercise(exercise: &Exercise, scenario: &Scenario) -> Vec<Problem> {
    let mut res = Vec::new();
    if exercise.id.trim().is_empty() {
        res.push(problem(
            "exercise-missing-id",
            "the exercise has no id",
            "id",
            None,
        ));
    }
    if exercise.goals.is_empty() {
        res.push(problem(
            "exercise-no-goals",
            "the exercise has no goals",
            "goals",
            Some("list at least one goal, e.g. `- account_active: { email: … }`"),
        ));
    }
    for (idx, goal) in exercise.goals.iter().enumerate() {
        let path = format!("goals[{idx}]");
        invoices::check_goal(goal, scenario, &path, &mut res);
        for email in goal.emails() {
            let known = same_email(email, &scenario.learner.email)
                || scenario
                    .accounts
                    .iter()
                    .any(|a| same_email(&a.email, email));
            if !known {
                res.push(problem(
                    "exercise-unknown-user",
                    format!("goal names `{email}`, who is neither the learner nor an account of the scenario"),
                    format!("{path}.email"),
                    Some("use the learner's e-mail or add the account to the scenario"),
                ));
            }
        }
        let Some(siret) = goal.siret() else {
            continue;
        };
        let existing = scenario.structures.iter().find(|s| s.siret == siret);
        let creatable = scenario
            .register
            .iter()
            .any(|e| e.siret == siret && e.active);
        if existing.is_none() && !creatable {
            res.push(problem(
                "exercise-unknown-structure",
                format!("goal names structure `{siret}`, which neither exists in the scenario nor can be created from the register"),
                format!("{path}.siret"),
                Some("add the structure, or its SIRET to `register:`"),
            ));
        }
        if let Some(code) = goal.code() {
            if let Err(error) = validate::code_service("code", code) {
                res.push(problem(
                    "exercise-invalid-code-service",
                    format!("goal names an invalid code service `{code}`"),
                    format!("{path}.code"),
                    Some(&error.message),
                ));
            }
        }
        if let Goal::BankAccount { iban, .. } = goal {
            if let Err(error) = validate::iban("iban", iban) {
                res.push(problem(
                    "exercise-invalid-iban",
                    format!("goal names an invalid IBAN `{iban}`"),
                    format!("{path}.iban"),
                    Some(&error.message),
                ));
            }
        }
    }
    res
}

/// Evaluates each goal on the world, in order.
pub fn evaluate(world: &World, goals: &[Goal]) -> Vec<bool> {
    goals.iter().map(|goal| goal.is_met(world)).collect()
}

impl Goal {
    /// Is the goal met in this world?
    pub fn is_met(&self, world: &World) -> bool {
        match self {
            Goal::AccountCreated { email } => world.account(email).is_some(),
            Goal::AccountActive { email } => world
                .account(email)
                .is_some_and(|a| a.status == AccountStatus::Active),
            Goal::SecretQuestionSet { email } => world
                .account(email)
                .is_some_and(|a| a.secret_question.is_some()),
            Goal::LoggedIn { email } => world
                .current_user
                .as_deref()
                .is_some_and(|current| same_email(current, email)),
            Goal::StructureExists { siret } => world.structure(siret).is_some(),
            Goal::GestionnairePrincipal { siret, email } => {
                world.role(siret, email) == Some(Role::GestionnairePrincipal)
            }
            Goal::UserAttached { email, siret } => world.role(siret, email).is_some(),
            Goal::RattachementRequested { email, siret } => has_request(world, email, siret, None),
            Goal::RattachementValidated { email, siret } => {
                has_request(world, email, siret, Some(RequestStatus::Validated))
            }
            Goal::RattachementRefused { email, siret } => {
                has_request(world, email, siret, Some(RequestStatus::Refused))
            }
            Goal::ServiceExists { siret, code } => world
                .structure(siret)
                .is_some_and(|s| s.service(code).is_some()),
            Goal::ServiceActive { siret, code } => world
                .structure(siret)
                .and_then(|s| s.service(code))
                .is_some_and(|s| s.active),
            Goal::ServiceInactive { siret, code } => world
                .structure(siret)
                .and_then(|s| s.service(code))
                .is_some_and(|s| !s.active),
            Goal::UserInService { email, siret, code } => world
                .structure(siret)
                .and_then(|s| s.member(email))
                .is_some_and(|m| m.services.iter().any(|c| c == code)),
            Goal::EspaceAccess {
                email,
                siret,
                espace,
                level,
                exact,
            } => {
                let actual = access(world, email, siret, *espace);
                match level {
                    Some(level) if *exact => actual == *level,
                    Some(level) => actual >= *level && actual != AccessLevel::None,
                    None => actual != AccessLevel::None,
                }
            }
            Goal::NoEspaceAccess {
                email,
                siret,
                espace,
            } => {
                world.role(siret, email).is_some()
                    && access(world, email, siret, *espace) == AccessLevel::None
            }
            Goal::BankAccount {
                siret,
                iban,
                affactureur,
            } => {
                let iban = validate::normalize_code(iban);
                world.structure(siret).is_some_and(|s| {
                    s.bank_accounts.iter().any(|b| {
                        b.iban == iban && affactureur.is_none_or(|flag| b.affactureur == flag)
                    })
                })
            }
            _ => invoices::is_met(self, world),
        }
    }

    /// A French sentence describing the goal, for the learner's checklist.
    pub fn label(&self) -> String {
        match self {
            Goal::AccountCreated { email } => format!("Le compte {email} est créé."),
            Goal::AccountActive { email } => format!("Le compte {email} est activé."),
            Goal::SecretQuestionSet { email } => {
                format!("{email} a choisi sa question secrète.")
            }
            Goal::LoggedIn { email } => format!("{email} est connecté."),
            Goal::StructureExists { siret } => format!("La structure {siret} existe."),
            Goal::GestionnairePrincipal { siret, email } => {
                format!("{email} est gestionnaire principal de la structure {siret}.")
            }
            Goal::UserAttached { email, siret } => {
                format!("{email} est rattaché à la structure {siret}.")
            }
            Goal::RattachementRequested { email, siret } => {
                format!("{email} a demandé son rattachement à la structure {siret}.")
            }
            Goal::RattachementValidated { email, siret } => {
                format!("La demande de rattachement de {email} à la structure {siret} est validée.")
            }
            Goal::RattachementRefused { email, siret } => {
                format!("La demande de rattachement de {email} à la structure {siret} est refusée.")
            }
            Goal::ServiceExists { siret, code } => {
                format!("Le service « {code} » existe dans la structure {siret}.")
            }
            Goal::ServiceActive { siret, code } => {
                format!("Le service « {code} » de la structure {siret} est actif.")
            }
            Goal::ServiceInactive { siret, code } => {
                format!("Le service « {code} » de la structure {siret} est désactivé.")
            }
            Goal::UserInService { email, siret, code } => {
                format!("{email} est rattaché au service « {code} » de la structure {siret}.")
            }
            Goal::EspaceAccess {
                email,
                siret,
                espace,
                level,
                exact,
            } => match level {
                Some(level) if *exact => format!(
                    "{email} a accès à l’espace « {} » de la structure {siret}, en {} exactement.",
                    espace.label(),
                    level.label().to_lowercase()
                ),
                Some(level) => format!(
                    "{email} a accès à l’espace « {} » de la structure {siret} (au moins : {}).",
                    espace.label(),
                    level.label()
                ),
                None => format!(
                    "{email} a accès à l’espace « {} » de la structure {siret}.",
                    espace.label()
                ),
            },
            Goal::NoEspaceAccess {
                email,
                siret,
                espace,
            } => format!(
                "{email} n’a pas accès à l’espace « {} » de la structure {siret}.",
                espace.label()
            ),
            Goal::BankAccount {
                siret,
                iban,
                affactureur,
            } => match affactureur {
                Some(true) => format!(
                    "Les coordonnées bancaires de l’affactureur (IBAN {iban}) sont déclarées sur la structure {siret}."
                ),
                _ => format!(
                    "Les coordonnées bancaires (IBAN {iban}) sont déclarées sur la structure {siret}."
                ),
            },
            _ => invoices::label(self),
        }
    }

    /// The user e-mails the goal names.
    fn emails(&self) -> Vec<&str> {
        match self {
            Goal::AccountCreated { email }
            | Goal::AccountActive { email }
            | Goal::SecretQuestionSet { email }
            | Goal::LoggedIn { email }
            | Goal::GestionnairePrincipal { email, .. }
            | Goal::UserAttached { email, .. }
            | Goal::RattachementRequested { email, .. }
            | Goal::RattachementValidated { email, .. }
            | Goal::RattachementRefused { email, .. }
            | Goal::UserInService { email, .. }
            | Goal::EspaceAccess { email, .. }
            | Goal::NoEspaceAccess { email, .. } => vec![email.as_str()],
            _ => Vec::new(),
        }
    }

    /// The structure the goal names.
    fn siret(&self) -> Option<&str> {
        match self {
            Goal::AccountCreated { .. }
            | Goal::AccountActive { .. }
            | Goal::SecretQuestionSet { .. }
            | Goal::LoggedIn { .. } => None,
            Goal::StructureExists { siret }
            | Goal::GestionnairePrincipal { siret, .. }
            | Goal::UserAttached { siret, .. }
            | Goal::RattachementRequested { siret, .. }
            | Goal::RattachementValidated { siret, .. }
            | Goal::RattachementRefused { siret, .. }
            | Goal::ServiceExists { siret, .. }
            | Goal::ServiceActive { siret, .. }
            | Goal::ServiceInactive { siret, .. }
            | Goal::UserInService { siret, .. }
            | Goal::EspaceAccess { siret, .. }
            | Goal::NoEspaceAccess { siret, .. }
            | Goal::BankAccount { siret, .. } => Some(siret),
            Goal::InvoiceSent(criteria) => criteria.supplier_siret.as_deref(),
            _ => None,
        }
    }

    /// The code service the goal names.
    fn code(&self) -> Option<&str> {
        match self {
            Goal::ServiceExists { code, .. }
            | Goal::ServiceActive { code, .. }
            | Goal::ServiceInactive { code, .. }
            | Goal::UserInService { code, .. } => Some(code),
            Goal::InvoiceSent(criteria) => criteria.service_code.as_deref(),
            _ => None,
        }
    }
}

/// Reads goals written as one-key maps (`account_active: {email: …}`), in both
/// YAML and JSON. serde_yaml 0.9 would otherwise expect YAML tags (`!account_active`) for
/// externally tagged enums, a syntax course authors should not need.
fn deserialize_goals<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<Goal>, D::Error> {
    struct GoalsVisitor;

    impl<'de> Visitor<'de> for GoalsVisitor {
        type Value = Vec<Goal>;

        fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
            formatter.write_str("a list of goals")
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<Goal>, A::Error> {
            let mut res = Vec::new();
            while let Some(GoalEntry(goal)) = seq.next_element()? {
                res.push(goal);
            }
            Ok(res)
        }
    }

    deserializer.deserialize_seq(GoalsVisitor)
}

struct GoalEntry(Goal);

impl<'de> Deserialize<'de> for GoalEntry {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<GoalEntry, D::Error> {
        struct EntryVisitor;

        impl<'de> Visitor<'de> for EntryVisitor {
            type Value = GoalEntry;

            fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
                formatter.write_str("a goal such as `account_active: { email: … }`")
            }

            fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<GoalEntry, A::Error> {
                Goal::deserialize(MapAccessDeserializer::new(map)).map(GoalEntry)
            }
        }

        deserializer.deserialize_any(EntryVisitor)
    }
}

fn has_request(world: &World, email: &str, siret: &str, status: Option<RequestStatus>) -> bool {
    world.requests.iter().any(|r| {
        same_email(&r.email, email)
            && r.siret == siret.trim()
            && status.is_none_or(|s| r.status == s)
    })
}

fn access(world: &World, email: &str, siret: &str, espace: Espace) -> AccessLevel {
    world
        .structure(siret)
        .and_then(|s| s.member(email))
        .and_then(|m| m.espaces.get(&espace).copied())
        .unwrap_or_default()
}
