//! The simulated state of the portal: clock, mailbox, accounts, INSEE register, structures,
//! demandes de rattachement, the directory of public structures, and (see [`crate::records`])
//! invoices, provided documents, works dossiers and sollicitations.
//!
//! A [`World`] is plain data: the browser saves it as JSON and restores it. It only changes
//! through [`crate::apply`]; the functions here are read-only queries.

use didact_map::VecMap;

use serde::{Deserialize, Serialize};

use crate::invoice::{ActorRole, Status};
use crate::records::{
    HelpdeskBehaviour, Invoice, ProvidedDocument, RecipientStep, Sollicitation, WorksDossier,
};
use crate::validate;

/// Version of the [`World`] JSON layout; bumped when a saved world can no longer be read.
/// Version 2 adds invoices, documents, roles, works dossiers and sollicitations.
pub const WORLD_VERSION: u32 = 2;

/// Minutes an activation link stays valid (reference, section 5.1: « dans les 60 minutes »).
pub const ACTIVATION_LINK_MINUTES: u64 = 60;

/// The whole simulated portal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct World {
    /// Layout version, [`WORLD_VERSION`] when created by this crate.
    pub version: u32,
    /// Simulated time, in minutes since the start of the scenario.
    pub clock: u64,
    /// Calendar date of minute 0 (`YYYY-MM-DD`), for display and invoice dates.
    pub start_date: String,
    /// Login e-mail of the logged-in user, if any.
    pub current_user: Option<String>,
    /// Every simulated e-mail sent, oldest first.
    pub mailbox: Vec<Email>,
    /// User accounts.
    pub accounts: Vec<Account>,
    /// The simulated INSEE register consulted when a structure is created.
    pub register: Vec<RegisterEntry>,
    /// Structures known to the portal (the learner's side: suppliers).
    pub structures: Vec<Structure>,
    /// Demandes de rattachement, in any status.
    pub requests: Vec<RattachementRequest>,
    /// The directory of public structures (invoice recipients).
    pub directory: Vec<PublicStructure>,
    /// Next identifier for e-mails, requests, activation links, invoices, works dossiers and
    /// sollicitations.
    pub next_id: u64,
    /// Invoices, drafts included, in creation order.
    #[serde(default)]
    pub invoices: Vec<Invoice>,
    /// Documents the scenario provides (PDFs to deposit, paper invoices to type).
    #[serde(default)]
    pub documents: Vec<ProvidedDocument>,
    /// Roles of structures in the scenario's contracts (fournisseur when absent), which decide
    /// the cadres offered.
    #[serde(default)]
    pub roles: VecMap<String, Vec<ActorRole>>,
    /// Works dossiers (« Factures de travaux »).
    #[serde(default)]
    pub works: Vec<WorksDossier>,
    /// Sollicitations.
    #[serde(default)]
    pub sollicitations: Vec<Sollicitation>,
    /// How the simulated support answers sollicitations.
    #[serde(default)]
    pub helpdesk: HelpdeskBehaviour,
}

/// A simulated e-mail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Email {
    /// Identifier, unique in the world.
    pub id: u64,
    /// Recipient address.
    pub to: String,
    /// Subject line (French).
    pub subject: String,
    /// Body text (French, plain text).
    pub body: String,
    /// Minute of the simulated clock when it was sent.
    pub sent_at: u64,
    /// What the e-mail is about; carries the activation token for activation e-mails.
    pub kind: EmailKind,
}

/// What a simulated e-mail is about.
///
/// JSON form: `{"type": "activation", "token": "…"}`. It is read through a flat struct
/// (`EmailKindFields`) rather than serde's internally tagged derive, which buffers the value
/// and compiles every nested type a second time into the wasm runtime.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EmailKind {
    /// Activation link of a new account (valid [`ACTIVATION_LINK_MINUTES`]).
    Activation {
        /// Token of the link, to pass to `Action::ActivateAccount`.
        token: String,
    },
    /// To the gestionnaire principal: a user asks to be attached.
    RattachementRequested {
        /// The request.
        request_id: u64,
    },
    /// To the user: the request was validated.
    RattachementValidated {
        /// The request.
        request_id: u64,
    },
    /// To the user: the request was refused.
    RattachementRefused {
        /// The request.
        request_id: u64,
    },
    /// To the user: he was attached to a structure by its gestionnaire.
    UserAttached {
        /// The structure's identifier.
        siret: String,
    },
    /// To the new gestionnaire principal.
    GestionnaireTransferred {
        /// The structure's identifier.
        siret: String,
    },
    /// To the supplier: the recipient returned an invoice (rejected, suspended or to recycle).
    InvoiceReturned {
        /// The invoice.
        invoice_id: u64,
        /// Its new status.
        status: Status,
    },
    /// To the sender: the handler answered or asked for information.
    SollicitationAnswered {
        /// The sollicitation.
        sollicitation_id: u64,
    },
}

/// The `type` of an [`EmailKind`].
#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum EmailKindTag {
    Activation,
    RattachementRequested,
    RattachementValidated,
    RattachementRefused,
    UserAttached,
    GestionnaireTransferred,
    InvoiceReturned,
    SollicitationAnswered,
}

/// Every key an [`EmailKind`] may have; the `type` says which ones are read.
#[derive(Deserialize)]
struct EmailKindFields {
    #[serde(rename = "type")]
    kind: EmailKindTag,
    token: Option<String>,
    request_id: Option<u64>,
    siret: Option<String>,
    invoice_id: Option<u64>,
    status: Option<Status>,
    sollicitation_id: Option<u64>,
}

impl<'de> Deserialize<'de> for EmailKind {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use EmailKindTag as T;
        let fields = EmailKindFields::deserialize(deserializer)?;
        Ok(match fields.kind {
            T::Activation => EmailKind::Activation {
                token: required(fields.token, "token")?,
            },
            T::RattachementRequested => EmailKind::RattachementRequested {
                request_id: required(fields.request_id, "request_id")?,
            },
            T::RattachementValidated => EmailKind::RattachementValidated {
                request_id: required(fields.request_id, "request_id")?,
            },
            T::RattachementRefused => EmailKind::RattachementRefused {
                request_id: required(fields.request_id, "request_id")?,
            },
            T::UserAttached => EmailKind::UserAttached {
                siret: required(fields.siret, "siret")?,
            },
            T::GestionnaireTransferred => EmailKind::GestionnaireTransferred {
                siret: required(fields.siret, "siret")?,
            },
            T::InvoiceReturned => EmailKind::InvoiceReturned {
                invoice_id: required(fields.invoice_id, "invoice_id")?,
                status: required(fields.status, "status")?,
            },
            T::SollicitationAnswered => EmailKind::SollicitationAnswered {
                sollicitation_id: required(fields.sollicitation_id, "sollicitation_id")?,
            },
        })
    }
}

/// A key the `type` of a tagged value requires.
fn required<T, E: serde::de::Error>(value: Option<T>, key: &'static str) -> Result<T, E> {
    value.ok_or_else(|| E::missing_field(key))
}

/// Status of a user account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountStatus {
    /// Created, activation link not used yet.
    PendingActivation,
    /// Activated: the user can log in.
    Active,
    /// Deactivated from « Mon compte ».
    Deactivated,
}

/// A user account (form « Informations personnelles »).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    /// « Adresse e-mail de connexion »: the login, also receives activation and password e-mails.
    pub login: String,
    /// « Nom ».
    pub last_name: String,
    /// « Prénom ».
    pub first_name: String,
    /// « Téléphone » (optional).
    pub phone: Option<String>,
    /// « Adresse e-mail de contact »: receives notifications; defaults to the login.
    pub contact_email: String,
    /// Account status.
    pub status: AccountStatus,
    /// The chosen password. This is a practice world: it is stored as typed.
    pub password: Option<String>,
    /// « Question secrète » and its answer (a step the course programme still teaches;
    /// whether the current portal keeps it is unconfirmed).
    pub secret_question: Option<SecretQuestion>,
    /// Current activation link, while the account is pending.
    pub activation: Option<ActivationLink>,
    /// Minute of creation.
    pub created_at: u64,
}

/// A secret question and its answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecretQuestion {
    /// The question.
    pub question: String,
    /// The answer.
    pub answer: String,
}

/// An activation link sent by e-mail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivationLink {
    /// Token carried by the link.
    pub token: String,
    /// Minute the link was sent.
    pub sent_at: u64,
}

/// A postal address.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Address {
    /// Number and street.
    #[serde(default)]
    pub street: String,
    /// Postal code.
    #[serde(default)]
    pub postal_code: String,
    /// City.
    #[serde(default)]
    pub city: String,
    /// Country, `France` when omitted.
    #[serde(default = "default_country")]
    pub country: String,
}

/// One establishment of the simulated INSEE register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegisterEntry {
    /// SIRET (14 digits).
    pub siret: String,
    /// Raison sociale.
    pub raison_sociale: String,
    /// Address.
    #[serde(default)]
    pub address: Address,
    /// Active establishment (a closed one cannot get a structure).
    #[serde(default = "yes")]
    pub active: bool,
    /// INSEE « non diffusible »: the address is masked on the structure.
    #[serde(default)]
    pub non_diffusible: bool,
}

/// Type of identifier of a structure (reference, section 3.1).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdentifierType {
    /// SIRET, checked against the register.
    #[default]
    Siret,
    /// « Structure européenne hors France ».
    UeHorsFrance,
    /// « Structure hors UE ».
    HorsUe,
    /// RIDET (New Caledonia).
    Ridet,
    /// « Numéro TAHITI » (French Polynesia).
    Tahiti,
    /// « Particulier ».
    Particulier,
    /// « En cours d'immatriculation ».
    EnCoursImmatriculation,
}

/// A structure: one legal entity or establishment, one per identifier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Structure {
    /// Type of identifier.
    pub identifier_type: IdentifierType,
    /// The identifier (the SIRET for SIRET structures); called `siret` in actions and goals.
    pub siret: String,
    /// Raison sociale (pre-filled from the register for SIRET structures).
    pub raison_sociale: String,
    /// Address (pre-filled from the register; empty when the SIRET is non diffusible).
    pub address: Address,
    /// Active structure.
    pub active: bool,
    /// Login of the gestionnaire principal.
    pub gestionnaire_principal: String,
    /// Attached users (the gestionnaire principal included).
    pub members: Vec<Member>,
    /// Services of the structure.
    pub services: Vec<Service>,
    /// « Coordonnées bancaires ».
    pub bank_accounts: Vec<BankAccount>,
}

/// A user attached to a structure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    /// Login of the user.
    pub email: String,
    /// Codes of the services the user is attached to.
    pub services: Vec<String>,
    /// Access level per espace.
    pub espaces: VecMap<Espace, AccessLevel>,
}

/// A service of a structure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Service {
    /// Code service.
    pub code: String,
    /// Libellé.
    #[serde(default)]
    pub name: String,
    /// Active service (only an active service can receive invoices).
    #[serde(default = "yes")]
    pub active: bool,
}

/// Bank details declared on a structure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BankAccount {
    /// IBAN, normalised (no spaces, upper case).
    pub iban: String,
    /// BIC, normalised.
    pub bic: String,
    /// « Titulaire du compte ».
    pub holder: String,
    /// « Affactureur »: the account belongs to a factor.
    #[serde(default)]
    pub affactureur: bool,
}

/// An espace: a tab giving access to a group of features (reference, section 5.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Espace {
    /// « Factures émises ».
    FacturesEmises,
    /// « Factures reçues ».
    FacturesRecues,
    /// « Factures à valider ».
    FacturesAValider,
    /// « Factures de travaux ».
    FacturesDeTravaux,
    /// « Sollicitations émises ».
    SollicitationsEmises,
    /// « Sollicitations reçues ».
    SollicitationsRecues,
    /// « Engagements » (« Commandes » for suppliers).
    Engagements,
}

/// Access level of a user to an espace. The course's labels « aucun accès / consultation /
/// complet » are unconfirmed as portal wording; AIFE speaks of consultation and modification.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccessLevel {
    /// No access.
    #[default]
    None,
    /// Read only.
    Consultation,
    /// Read and write.
    Modification,
}

/// A user's role in a structure (reference, section 5.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Created the structure (or received the role): manages users and settings.
    GestionnairePrincipal,
    /// Simple user: everything except modifying the structure.
    Utilisateur,
}

/// Status of a demande de rattachement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestStatus {
    /// Waiting for the gestionnaire principal.
    Pending,
    /// Validated: the user is attached.
    Validated,
    /// Refused.
    Refused,
}

/// A demande de rattachement of a user to a structure (and optionally some of its services).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RattachementRequest {
    /// Identifier, unique in the world.
    pub id: u64,
    /// Login of the requesting user.
    pub email: String,
    /// Identifier of the structure.
    pub siret: String,
    /// Codes of the requested services.
    pub services: Vec<String>,
    /// Status.
    pub status: RequestStatus,
    /// Minute of the request.
    pub created_at: u64,
    /// Minute of the decision.
    pub decided_at: Option<u64>,
    /// Reason given when refusing.
    pub reason: Option<String>,
}

/// A public structure of the directory « Rechercher structure publique »: a possible invoice
/// recipient, with its services and the settings the invoice form must obey (section 2.3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublicStructure {
    /// SIRET.
    pub siret: String,
    /// Name.
    pub name: String,
    /// Active structure (invoices to an inactive structure are refused).
    #[serde(default = "yes")]
    pub active: bool,
    /// Services.
    #[serde(default)]
    pub services: Vec<Service>,
    /// Settings.
    #[serde(default)]
    pub settings: RecipientSettings,
    /// Délai global de paiement in days (30, 50 for public hospitals, 60 for public companies).
    #[serde(default = "default_payment_days")]
    pub payment_days: u32,
    /// What the recipient does with the invoices it receives, played by the simulated clock;
    /// nothing (invoices stay « Mise à disposition ») when empty.
    #[serde(default)]
    pub behaviour: Vec<RecipientStep>,
}

/// What a public recipient requires on invoices (API names in parentheses).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecipientSettings {
    /// Code service mandatory (`codeServiceDoitEtreRenseigne`).
    #[serde(default)]
    pub service_required: bool,
    /// Engagement number mandatory (`numeroEJDoitEtreRenseigne`).
    #[serde(default)]
    pub engagement_required: bool,
    /// At least one of code service or engagement (`gestionNumeroEJOuCodeService`).
    #[serde(default)]
    pub engagement_or_service_required: bool,
    /// The « Mise en paiement » status is not reported (`statutMiseEnPaiementNestPasRemonte`).
    #[serde(default)]
    pub payment_status_not_reported: bool,
}

/// One line of a structure search (« Demande de rattachement »).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StructureSummary {
    /// Identifier.
    pub siret: String,
    /// Raison sociale.
    pub raison_sociale: String,
    /// Active services (code and name) the user may ask for.
    pub services: Vec<Service>,
}

impl World {
    /// An empty world at minute 0.
    pub fn new() -> World {
        World {
            version: WORLD_VERSION,
            clock: 0,
            start_date: DEFAULT_START_DATE.to_owned(),
            current_user: None,
            mailbox: Vec::new(),
            accounts: Vec::new(),
            register: Vec::new(),
            structures: Vec::new(),
            requests: Vec::new(),
            directory: Vec::new(),
            next_id: 1,
            invoices: Vec::new(),
            documents: Vec::new(),
            roles: VecMap::new(),
            works: Vec::new(),
            sollicitations: Vec::new(),
            helpdesk: HelpdeskBehaviour::default(),
        }
    }

    /// The account whose login is `email` (case-insensitive).
    pub fn account(&self, email: &str) -> Option<&Account> {
        self.accounts.iter().find(|a| same_email(&a.login, email))
    }

    /// The structure with this identifier.
    pub fn structure(&self, siret: &str) -> Option<&Structure> {
        self.structures.iter().find(|s| s.siret == siret.trim())
    }

    /// The register entry of a SIRET.
    pub fn register_entry(&self, siret: &str) -> Option<&RegisterEntry> {
        self.register.iter().find(|e| e.siret == siret.trim())
    }

    /// The public structure of the directory with this SIRET.
    pub fn public_structure(&self, siret: &str) -> Option<&PublicStructure> {
        self.directory.iter().find(|p| p.siret == siret.trim())
    }

    /// The role of a user in a structure, `None` if not attached.
    pub fn role(&self, siret: &str, email: &str) -> Option<Role> {
        let structure = self.structure(siret)?;
        if same_email(&structure.gestionnaire_principal, email) {
            Some(Role::GestionnairePrincipal)
        } else if structure.member(email).is_some() {
            Some(Role::Utilisateur)
        } else {
            None
        }
    }

    /// Structures a user is attached to.
    pub fn structures_of<'a>(&'a self, email: &'a str) -> impl Iterator<Item = &'a Structure> + 'a {
        self.structures
            .iter()
            .filter(move |s| s.member(email).is_some())
    }

    /// E-mails received by a user: sent to his login or to his contact address.
    pub fn emails_for(&self, login: &str) -> Vec<&Email> {
        let contact = self.account(login).map(|a| a.contact_email.as_str());
        self.mailbox
            .iter()
            .filter(|mail| {
                same_email(&mail.to, login) || contact.is_some_and(|c| same_email(&mail.to, c))
            })
            .collect()
    }

    /// Pending requests the user must decide on in « Activités du gestionnaire ».
    pub fn pending_requests_for(&self, gestionnaire: &str) -> Vec<&RattachementRequest> {
        self.requests
            .iter()
            .filter(|r| r.status == RequestStatus::Pending)
            .filter(|r| self.role(&r.siret, gestionnaire) == Some(Role::GestionnairePrincipal))
            .collect()
    }

    /// The register data that pre-fills the structure form for a SIRET, or why it is refused:
    /// invalid SIRET, unknown to the register, or closed establishment.
    pub fn lookup_register(&self, siret: &str) -> Result<&RegisterEntry, validate::FieldError> {
        validate::siret("siret", siret)?;
        let Some(entry) = self.register_entry(siret) else {
            return Err(validate::FieldError::new(
                "siret",
                "siret-unknown",
                "Ce SIRET est inconnu de la base INSEE.",
                "Chorus Pro vérifie que le SIRET existe dans la base INSEE et qu’il est actif. Une clé de contrôle correcte ne prouve pas que l’établissement existe.",
            ));
        };
        if !entry.active {
            return Err(validate::FieldError::new(
                "siret",
                "siret-inactive",
                "Ce SIRET correspond à un établissement fermé dans la base INSEE.",
                "Chorus Pro n’accepte que les établissements actifs dans la base INSEE.",
            ));
        }
        Ok(entry)
    }

    /// Search of « Demande de rattachement »: a query of digits searches SIRETs starting with
    /// it (at least 3 characters); anything else is an exact, complete raison sociale.
    pub fn search_structures(
        &self,
        query: &str,
    ) -> Result<Vec<StructureSummary>, validate::FieldError> {
        let query = query.trim();
        let by_siret = !query.is_empty() && query.bytes().all(|b| b.is_ascii_digit());
        if by_siret {
            validate::siret_search("recherche", query)?;
        } else {
            validate::raison_sociale_search("recherche", query)?;
        }
        Ok(self
            .structures
            .iter()
            .filter(|s| s.active)
            .filter(|s| {
                if by_siret {
                    s.siret.starts_with(query)
                } else {
                    validate::raison_sociale_matches(&s.raison_sociale, query)
                }
            })
            .map(|s| StructureSummary {
                siret: s.siret.clone(),
                raison_sociale: s.raison_sociale.clone(),
                services: s.services.iter().filter(|sv| sv.active).cloned().collect(),
            })
            .collect())
    }
}

impl Default for World {
    fn default() -> World {
        World::new()
    }
}

impl Structure {
    /// The membership of a user.
    pub fn member(&self, email: &str) -> Option<&Member> {
        self.members.iter().find(|m| same_email(&m.email, email))
    }

    /// The service with this code (exact match).
    pub fn service(&self, code: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.code == code)
    }
}

impl Espace {
    /// Every espace, in menu order.
    pub const ALL: [Espace; 7] = [
        Espace::FacturesEmises,
        Espace::FacturesRecues,
        Espace::FacturesAValider,
        Espace::FacturesDeTravaux,
        Espace::SollicitationsEmises,
        Espace::SollicitationsRecues,
        Espace::Engagements,
    ];

    /// The portal's label.
    pub fn label(self) -> &'static str {
        match self {
            Espace::FacturesEmises => "Factures émises",
            Espace::FacturesRecues => "Factures reçues",
            Espace::FacturesAValider => "Factures à valider",
            Espace::FacturesDeTravaux => "Factures de travaux",
            Espace::SollicitationsEmises => "Sollicitations émises",
            Espace::SollicitationsRecues => "Sollicitations reçues",
            Espace::Engagements => "Engagements",
        }
    }

    /// Espaces any user may open for himself without the gestionnaire (reference, 5.5:
    /// « Factures émises » by any user; « Sollicitations émises » is opened for all accounts).
    pub fn self_service(self) -> bool {
        matches!(self, Espace::FacturesEmises | Espace::SollicitationsEmises)
    }
}

impl AccessLevel {
    /// The label shown by the simulator.
    pub fn label(self) -> &'static str {
        match self {
            AccessLevel::None => "Aucun accès",
            AccessLevel::Consultation => "Consultation",
            AccessLevel::Modification => "Modification",
        }
    }
}

impl IdentifierType {
    /// The portal's label.
    pub fn label(self) -> &'static str {
        match self {
            IdentifierType::Siret => "SIRET",
            IdentifierType::UeHorsFrance => "Structure européenne hors France",
            IdentifierType::HorsUe => "Structure hors UE",
            IdentifierType::Ridet => "RIDET",
            IdentifierType::Tahiti => "Numéro TAHITI",
            IdentifierType::Particulier => "Particulier",
            IdentifierType::EnCoursImmatriculation => "En cours d'immatriculation",
        }
    }
}

/// Compares two e-mail addresses ignoring case and surrounding spaces.
pub fn same_email(a: &str, b: &str) -> bool {
    a.trim().eq_ignore_ascii_case(b.trim())
}

/// The espaces a new member gets (reference, 5.5: « Factures émises » is open to any user and
/// « Sollicitations émises » is opened automatically for all new accounts).
pub fn default_espaces() -> VecMap<Espace, AccessLevel> {
    VecMap::from([
        (Espace::FacturesEmises, AccessLevel::Modification),
        (Espace::SollicitationsEmises, AccessLevel::Modification),
    ])
}

const DEFAULT_START_DATE: &str = "2025-03-03";

fn default_country() -> String {
    "France".to_owned()
}

fn yes() -> bool {
    true
}

fn default_payment_days() -> u32 {
    30
}

/// Why a saved world could not be restored by [`World::from_json`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadError {
    /// The text is not a saved world (not JSON, or a field is malformed).
    Invalid(String),
    /// The saved world has no `version` field.
    MissingVersion,
    /// The saved world was written by another version of the simulator.
    UnsupportedVersion {
        /// The version found in the text.
        found: u64,
        /// The only version this simulator reads, [`WORLD_VERSION`].
        supported: u32,
    },
}

impl World {
    /// Restores a world saved as JSON (by the browser, from `serde_json::to_string`).
    ///
    /// Only worlds of [`WORLD_VERSION`] are read: a world saved by an older simulator is
    /// refused with [`LoadError::UnsupportedVersion`] rather than half-read, and the browser
    /// restarts the exercise from its scenario.
    pub fn from_json(text: &str) -> Result<World, LoadError> {
        #[derive(Deserialize)]
        struct VersionProbe {
            version: Option<u64>,
        }
        let probe: VersionProbe =
            serde_json::from_str(text).map_err(|e| LoadError::Invalid(e.to_string()))?;
        match probe.version {
            None => Err(LoadError::MissingVersion),
            Some(found) if found != u64::from(WORLD_VERSION) => {
                Err(LoadError::UnsupportedVersion {
                    found,
                    supported: WORLD_VERSION,
                })
            }
            Some(_) => serde_json::from_str(text).map_err(|e| LoadError::Invalid(e.to_string())),
        }
    }
}

impl LoadError {
    /// The message shown to the learner, in French.
    pub fn message_fr(&self) -> String {
        match self {
            LoadError::Invalid(_) | LoadError::MissingVersion => {
                "La sauvegarde de cet exercice est illisible : l'exercice repart de son début."
                    .to_owned()
            }
            LoadError::UnsupportedVersion { found, supported } => format!(
                "Cette sauvegarde a été faite par une autre version du simulateur (version {found}, version attendue : {supported}) : l'exercice repart de son début."
            ),
        }
    }
}

impl std::fmt::Display for LoadError {
    /// English for developers, then the French message for the learner.
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LoadError::Invalid(error) => write!(formatter, "invalid saved world: {error}")?,
            LoadError::MissingVersion => formatter.write_str("saved world has no version")?,
            LoadError::UnsupportedVersion { found, supported } => write!(
                formatter,
                "saved world has version {found}, this simulator reads version {supported}"
            )?,
        }
        write!(formatter, " / {}", self.message_fr())
    }
}

impl std::error::Error for LoadError {}
