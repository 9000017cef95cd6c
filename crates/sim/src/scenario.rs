//! Scenarios: the starting state of an exercise, written by the course author in YAML
//! (`content/scenarios/*.yaml`) and read by the build with serde_yaml, or by the browser as JSON.
//!
//! 1. [`check_scenario`] reports the author's mistakes as [`Problem`]s with a field path.
//! 2. [`World::from_scenario`] builds the starting [`World`].
//!
//! See `crates/sim/FORMAT.md` for complete examples.

use std::collections::BTreeSet;

use didact_map::VecMap;

use serde::{Deserialize, Serialize};

mod invoices;

pub use invoices::{ScenarioInvoice, ScenarioWorks, ScenarioWorksPiece};

use crate::invoice::ActorRole;
use crate::records::{HelpdeskBehaviour, ProvidedDocument};
use crate::validate;
use crate::world::{
    default_espaces, AccessLevel, Account, AccountStatus, ActivationLink, Address, BankAccount,
    Email, EmailKind, Espace, IdentifierType, Member, PublicStructure, RattachementRequest,
    RegisterEntry, RequestStatus, Service, Structure, World, WORLD_VERSION,
};

/// A mistake in a scenario or an exercise, found without any file: `path` names the field
/// (`register[1].siret`) and the caller maps it back to a span.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// Stable code, e.g. `scenario-invalid-siret`.
    pub code: &'static str,
    /// Lower case, no trailing period.
    pub message: String,
    /// Path of the field, e.g. `structures[0].gestionnaire`.
    pub path: String,
    /// How to fix it.
    pub help: Option<String>,
}

/// The starting state of an exercise.
///
/// ```yaml
/// learner: { first_name: Paul, last_name: Durand, email: paul.durand@menuiserie-durand.fr, siret: "81452763600017" }
/// register:
///   - { siret: "81452763600017", raison_sociale: Menuiserie Durand SARL }
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Title for the author (not shown to the learner).
    #[serde(default)]
    pub title: String,
    /// Calendar date of minute 0 (`YYYY-MM-DD`); 2025-03-03 when omitted.
    #[serde(default)]
    pub start_date: Option<String>,
    /// The learner's persona: the data he types into the forms.
    pub learner: Learner,
    /// The simulated INSEE register.
    #[serde(default)]
    pub register: Vec<RegisterEntry>,
    /// Other existing accounts (and possibly the learner's own).
    #[serde(default)]
    pub accounts: Vec<ScenarioAccount>,
    /// Existing structures.
    #[serde(default)]
    pub structures: Vec<ScenarioStructure>,
    /// Existing demandes de rattachement.
    #[serde(default)]
    pub requests: Vec<ScenarioRequest>,
    /// Public structures of the directory (invoice recipients).
    #[serde(default)]
    pub directory: Vec<PublicStructure>,
    /// Login of the account logged in at the start; nobody when omitted.
    #[serde(default)]
    pub logged_in: Option<String>,
    /// Roles of structures in the contracts (SIRET → roles), which decide the cadres offered;
    /// a structure without roles is a plain fournisseur (A1, A2).
    #[serde(default)]
    pub roles: VecMap<String, Vec<ActorRole>>,
    /// Documents given to the learner: PDFs to deposit, paper invoices to type.
    #[serde(default)]
    pub documents: Vec<ProvidedDocument>,
    /// Invoices that already exist (e.g. one « À recycler », one « Suspendue », a
    /// sous-traitant's invoice waiting for validation).
    #[serde(default)]
    pub invoices: Vec<ScenarioInvoice>,
    /// Works contracts and their dossier de facturation.
    #[serde(default)]
    pub works: Vec<ScenarioWorks>,
    /// How the support answers sollicitations; answers after 2 days when omitted.
    #[serde(default)]
    pub helpdesk: Option<HelpdeskBehaviour>,
}

/// The learner's persona.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Learner {
    /// Prénom.
    pub first_name: String,
    /// Nom.
    pub last_name: String,
    /// E-mail address, used as « adresse e-mail de connexion ».
    pub email: String,
    /// Telephone.
    #[serde(default)]
    pub phone: String,
    /// SIRET of the learner's company; must be in the register.
    pub siret: String,
}

/// An existing account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioAccount {
    /// Login e-mail.
    pub email: String,
    /// Prénom.
    pub first_name: String,
    /// Nom.
    pub last_name: String,
    /// Telephone.
    #[serde(default)]
    pub phone: String,
    /// Contact e-mail; the login when omitted.
    #[serde(default)]
    pub contact_email: String,
    /// Password, [`DEFAULT_PASSWORD`] when omitted.
    #[serde(default = "default_password")]
    pub password: String,
    /// Status, `active` when omitted. A `pending_activation` account gets a fresh activation
    /// e-mail at minute 0.
    #[serde(default = "default_status")]
    pub status: AccountStatus,
}

/// An existing structure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioStructure {
    /// Identifier (SIRET).
    pub siret: String,
    /// Type of identifier, `siret` when omitted.
    #[serde(default)]
    pub identifier_type: IdentifierType,
    /// Raison sociale; the register's when omitted.
    #[serde(default)]
    pub raison_sociale: String,
    /// Address; the register's when omitted.
    #[serde(default)]
    pub address: Option<Address>,
    /// Login of the gestionnaire principal (an existing account).
    pub gestionnaire: String,
    /// Other attached users (the gestionnaire is attached anyway; listing him sets his services
    /// and espaces).
    #[serde(default)]
    pub users: Vec<ScenarioMember>,
    /// Services.
    #[serde(default)]
    pub services: Vec<Service>,
    /// Bank details.
    #[serde(default)]
    pub bank_accounts: Vec<BankAccount>,
}

/// A user attached to an existing structure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioMember {
    /// Login.
    pub email: String,
    /// Codes of his services.
    #[serde(default)]
    pub services: Vec<String>,
    /// Access per espace; « Factures émises » and « Sollicitations émises » in modification
    /// when omitted.
    #[serde(default)]
    pub espaces: Option<VecMap<Espace, AccessLevel>>,
}

/// An existing demande de rattachement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioRequest {
    /// Login of the requesting user.
    pub email: String,
    /// Structure.
    pub siret: String,
    /// Requested service codes.
    #[serde(default)]
    pub services: Vec<String>,
    /// Status, `pending` when omitted.
    #[serde(default = "default_request_status")]
    pub status: RequestStatus,
}

/// Password of scenario accounts that do not set one.
pub const DEFAULT_PASSWORD: &str = "Chorus!2025";

/// Finds every mistake in a scenario.
pub fn check_scenario(scenario: &Scenario) -> Vec<Problem> {
    let mut res = Vec::new();
    if let Some(date) = &scenario.start_date {
        if !is_iso_date(date) {
            res.push(problem(
                "scenario-invalid-date",
                format!("`{date}` is not a date"),
                "start_date",
                Some("write it as YYYY-MM-DD, e.g. 2025-03-03"),
            ));
        }
    }

    check_email(&mut res, &scenario.learner.email, "learner.email");
    check_siret(&mut res, &scenario.learner.siret, "learner.siret");
    if validate::siret("", &scenario.learner.siret).is_ok()
        && !scenario
            .register
            .iter()
            .any(|e| e.siret == scenario.learner.siret)
    {
        res.push(problem(
            "scenario-learner-siret-not-in-register",
            format!(
                "the learner's SIRET {} is not in the register",
                scenario.learner.siret
            ),
            "learner.siret",
            Some("add it under `register:` so that the learner can create the structure"),
        ));
    }

    let mut register_sirets = BTreeSet::new();
    for (idx, entry) in scenario.register.iter().enumerate() {
        let path = format!("register[{idx}].siret");
        check_siret(&mut res, &entry.siret, &path);
        if !register_sirets.insert(entry.siret.as_str()) {
            res.push(duplicate("scenario-duplicate-siret", &entry.siret, &path));
        }
    }

    let mut emails = BTreeSet::new();
    for (idx, account) in scenario.accounts.iter().enumerate() {
        let path = format!("accounts[{idx}].email");
        check_email(&mut res, &account.email, &path);
        if !emails.insert(account.email.to_lowercase()) {
            res.push(duplicate(
                "scenario-duplicate-account",
                &account.email,
                &path,
            ));
        }
        if !account.contact_email.is_empty() {
            check_email(
                &mut res,
                &account.contact_email,
                &format!("accounts[{idx}].contact_email"),
            );
        }
    }
    let active_account = |email: &str| {
        scenario
            .accounts
            .iter()
            .find(|a| a.email.eq_ignore_ascii_case(email))
            .map(|a| a.status == AccountStatus::Active)
    };
    let check_active =
        |res: &mut Vec<Problem>, email: &str, path: String| match active_account(email) {
            None => res.push(problem(
                "scenario-unknown-account",
                format!("no account `{email}` in the scenario"),
                path,
                Some("add it under `accounts:`"),
            )),
            Some(false) => res.push(problem(
                "scenario-inactive-account",
                format!("account `{email}` is not active"),
                path,
                Some("only active accounts can be attached to a structure"),
            )),
            Some(true) => {}
        };

    let mut structure_ids = BTreeSet::new();
    for (idx, structure) in scenario.structures.iter().enumerate() {
        let path = format!("structures[{idx}]");
        if structure.identifier_type == IdentifierType::Siret {
            check_siret(&mut res, &structure.siret, &format!("{path}.siret"));
            if validate::siret("", &structure.siret).is_ok()
                && !register_sirets.contains(structure.siret.as_str())
            {
                res.push(problem(
                    "scenario-structure-not-in-register",
                    format!("structure {} is not in the register", structure.siret),
                    format!("{path}.siret"),
                    Some("a SIRET structure must match an establishment of `register:`"),
                ));
            }
        } else if structure.raison_sociale.trim().is_empty() {
            res.push(problem(
                "scenario-missing-raison-sociale",
                "a structure without a SIRET needs a raison sociale",
                format!("{path}.raison_sociale"),
                None,
            ));
        }
        if !structure_ids.insert(structure.siret.as_str()) {
            res.push(duplicate(
                "scenario-duplicate-structure",
                &structure.siret,
                &format!("{path}.siret"),
            ));
        }
        check_active(
            &mut res,
            &structure.gestionnaire,
            format!("{path}.gestionnaire"),
        );
        let codes = check_services(&mut res, &structure.services, &path);
        let mut members = BTreeSet::new();
        for (user_idx, user) in structure.users.iter().enumerate() {
            let user_path = format!("{path}.users[{user_idx}]");
            check_active(&mut res, &user.email, format!("{user_path}.email"));
            if !members.insert(user.email.to_lowercase()) {
                res.push(duplicate(
                    "scenario-duplicate-user",
                    &user.email,
                    &format!("{user_path}.email"),
                ));
            }
            check_service_refs(&mut res, &user.services, &codes, &user_path);
        }
        for (bank_idx, bank) in structure.bank_accounts.iter().enumerate() {
            let bank_path = format!("{path}.bank_accounts[{bank_idx}]");
            if let Err(error) = validate::iban("iban", &bank.iban) {
                res.push(problem(
                    "scenario-invalid-iban",
                    format!("invalid IBAN `{}`: {}", bank.iban, error.code),
                    format!("{bank_path}.iban"),
                    Some(&error.message),
                ));
            }
            if let Err(error) = validate::bic("bic", &bank.bic) {
                res.push(problem(
                    "scenario-invalid-bic",
                    format!("invalid BIC `{}`: {}", bank.bic, error.code),
                    format!("{bank_path}.bic"),
                    Some(&error.message),
                ));
            }
        }
    }

    for (idx, request) in scenario.requests.iter().enumerate() {
        let path = format!("requests[{idx}]");
        if active_account(&request.email).is_none() {
            res.push(problem(
                "scenario-unknown-account",
                format!("no account `{}` in the scenario", request.email),
                format!("{path}.email"),
                Some("add it under `accounts:`"),
            ));
        }
        match scenario
            .structures
            .iter()
            .find(|s| s.siret == request.siret)
        {
            None => res.push(problem(
                "scenario-unknown-structure",
                format!("no structure `{}` in the scenario", request.siret),
                format!("{path}.siret"),
                Some("add it under `structures:`"),
            )),
            Some(structure) => {
                let codes = structure.services.iter().map(|s| s.code.as_str()).collect();
                check_service_refs(&mut res, &request.services, &codes, &path);
            }
        }
    }

    let mut directory_sirets = BTreeSet::new();
    for (idx, public) in scenario.directory.iter().enumerate() {
        let path = format!("directory[{idx}]");
        check_siret(&mut res, &public.siret, &format!("{path}.siret"));
        if !directory_sirets.insert(public.siret.as_str()) {
            res.push(duplicate(
                "scenario-duplicate-siret",
                &public.siret,
                &format!("{path}.siret"),
            ));
        }
        check_services(&mut res, &public.services, &path);
    }

    invoices::check(scenario, &mut res);

    if let Some(login) = &scenario.logged_in {
        if active_account(login) != Some(true) {
            res.push(problem(
                "scenario-unknown-account",
                format!("`logged_in` names `{login}`, which is not an active account"),
                "logged_in",
                Some("add the account under `accounts:` with status active"),
            ));
        }
    }
    res
}

impl World {
    /// Builds the starting world of a scenario. Meant for a scenario without problems; on a
    /// faulty one it skips what it cannot build and never panics.
    pub fn from_scenario(scenario: &Scenario) -> World {
        let mut world = World::new();
        world.version = WORLD_VERSION;
        if let Some(date) = &scenario.start_date {
            world.start_date = date.clone();
        }
        world.register = scenario.register.clone();
        world.directory = scenario.directory.clone();

        for account in &scenario.accounts {
            if world.account(&account.email).is_some() {
                continue;
            }
            let contact = if account.contact_email.trim().is_empty() {
                account.email.clone()
            } else {
                account.contact_email.clone()
            };
            let pending = account.status == AccountStatus::PendingActivation;
            let activation = pending.then(|| {
                let token = format!("activation-{}", world.next_id);
                world.next_id += 1;
                ActivationLink { token, sent_at: 0 }
            });
            if let Some(link) = &activation {
                world.mailbox.push(Email {
                    id: world.next_id,
                    to: account.email.clone(),
                    subject: "Chorus Pro : activez votre compte".to_owned(),
                    body: "Bonjour,\nVotre compte Chorus Pro a été créé. Pour l’activer, cliquez sur le lien ci-dessous dans les 60 minutes, puis choisissez votre mot de passe.\n[Activer mon compte]".to_owned(),
                    sent_at: 0,
                    kind: EmailKind::Activation { token: link.token.clone() },
                });
                world.next_id += 1;
            }
            world.accounts.push(Account {
                login: account.email.clone(),
                last_name: account.last_name.clone(),
                first_name: account.first_name.clone(),
                phone: (!account.phone.trim().is_empty()).then(|| account.phone.clone()),
                contact_email: contact,
                status: account.status,
                password: (!pending).then(|| account.password.clone()),
                secret_question: None,
                activation,
                created_at: 0,
            });
        }

        for structure in &scenario.structures {
            if world.structure(&structure.siret).is_some() {
                continue;
            }
            let entry = world.register_entry(&structure.siret).cloned();
            let raison_sociale = if structure.raison_sociale.trim().is_empty() {
                entry
                    .as_ref()
                    .map(|e| e.raison_sociale.clone())
                    .unwrap_or_default()
            } else {
                structure.raison_sociale.clone()
            };
            let address = structure.address.clone().unwrap_or_else(|| {
                entry
                    .as_ref()
                    .filter(|e| !e.non_diffusible)
                    .map(|e| e.address.clone())
                    .unwrap_or_default()
            });
            let gestionnaire = world
                .account(&structure.gestionnaire)
                .map_or_else(|| structure.gestionnaire.clone(), |a| a.login.clone());
            let mut members = vec![Member {
                email: gestionnaire.clone(),
                services: Vec::new(),
                espaces: default_espaces(),
            }];
            for user in &structure.users {
                let member = Member {
                    email: world
                        .account(&user.email)
                        .map_or_else(|| user.email.clone(), |a| a.login.clone()),
                    services: user.services.clone(),
                    espaces: user.espaces.clone().unwrap_or_else(default_espaces),
                };
                match members
                    .iter_mut()
                    .find(|m| m.email.eq_ignore_ascii_case(&member.email))
                {
                    Some(existing) => *existing = member,
                    None => members.push(member),
                }
            }
            world.structures.push(Structure {
                identifier_type: structure.identifier_type,
                siret: structure.siret.clone(),
                raison_sociale,
                address,
                active: true,
                gestionnaire_principal: gestionnaire,
                members,
                services: structure.services.clone(),
                bank_accounts: structure
                    .bank_accounts
                    .iter()
                    .map(|b| BankAccount {
                        iban: validate::normalize_code(&b.iban),
                        bic: validate::normalize_code(&b.bic),
                        holder: b.holder.clone(),
                        affactureur: b.affactureur,
                    })
                    .collect(),
            });
        }

        for request in &scenario.requests {
            let id = world.next_id;
            world.next_id += 1;
            world.requests.push(RattachementRequest {
                id,
                email: request.email.clone(),
                siret: request.siret.clone(),
                services: request.services.clone(),
                status: request.status,
                created_at: 0,
                decided_at: (request.status != RequestStatus::Pending).then_some(0),
                reason: None,
            });
            if request.status == RequestStatus::Validated {
                let email = request.email.clone();
                let services = request.services.clone();
                if let Some(structure) = world
                    .structures
                    .iter_mut()
                    .find(|s| s.siret == request.siret)
                {
                    if structure.member(&email).is_none() {
                        structure.members.push(Member {
                            email,
                            services,
                            espaces: default_espaces(),
                        });
                    }
                }
            }
        }

        invoices::build(scenario, &mut world);

        world.current_user = scenario
            .logged_in
            .as_deref()
            .and_then(|login| world.account(login))
            .filter(|a| a.status == AccountStatus::Active)
            .map(|a| a.login.clone());
        world
    }
}

pub(crate) fn problem(
    code: &'static str,
    message: impl Into<String>,
    path: impl Into<String>,
    help: Option<&str>,
) -> Problem {
    Problem {
        code,
        message: message.into(),
        path: path.into(),
        help: help.map(str::to_owned),
    }
}

pub(crate) fn duplicate(code: &'static str, value: &str, path: &str) -> Problem {
    problem(
        code,
        format!("`{value}` appears twice"),
        path,
        Some("each one must be unique"),
    )
}

fn check_email(res: &mut Vec<Problem>, value: &str, path: &str) {
    if let Err(error) = validate::email("email", value) {
        res.push(problem(
            "scenario-invalid-email",
            format!("invalid e-mail address `{value}`"),
            path,
            Some(&error.message),
        ));
    }
}

pub(crate) fn check_siret(res: &mut Vec<Problem>, value: &str, path: &str) {
    if let Err(error) = validate::siret("siret", value) {
        res.push(problem(
            "scenario-invalid-siret",
            format!("invalid SIRET `{value}`: {}", error.code),
            path,
            Some(&error.message),
        ));
    }
}

fn check_services<'a>(
    res: &mut Vec<Problem>,
    services: &'a [Service],
    path: &str,
) -> BTreeSet<&'a str> {
    let mut codes = BTreeSet::new();
    for (idx, service) in services.iter().enumerate() {
        let service_path = format!("{path}.services[{idx}].code");
        if let Err(error) = validate::code_service("code", &service.code) {
            res.push(problem(
                "scenario-invalid-code-service",
                format!("invalid code service `{}`", service.code),
                &service_path,
                Some(&error.message),
            ));
        }
        if !codes.insert(service.code.as_str()) {
            res.push(duplicate(
                "scenario-duplicate-service",
                &service.code,
                &service_path,
            ));
        }
    }
    codes
}

fn check_service_refs(res: &mut Vec<Problem>, refs: &[String], codes: &BTreeSet<&str>, path: &str) {
    for (idx, code) in refs.iter().enumerate() {
        if !codes.contains(code.as_str()) {
            res.push(problem(
                "scenario-unknown-service",
                format!("no service `{code}` in this structure"),
                format!("{path}.services[{idx}]"),
                Some("declare it under the structure's `services:`"),
            ));
        }
    }
}

pub(crate) fn is_iso_date(value: &str) -> bool {
    let bytes = value.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return false;
    }
    let number = |range: std::ops::Range<usize>| {
        value
            .get(range)
            .filter(|s| s.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|s| s.parse::<u32>().ok())
    };
    let (Some(year), Some(month), Some(day)) = (number(0..4), number(5..7), number(8..10)) else {
        return false;
    };
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days_in_month).contains(&day)
}

fn default_password() -> String {
    DEFAULT_PASSWORD.to_owned()
}

fn default_status() -> AccountStatus {
    AccountStatus::Active
}

fn default_request_status() -> RequestStatus {
    RequestStatus::Pending
}
