//! Learner operations on the simulated portal and [`apply`], the only way a [`World`] changes.
//!
//! `apply` works on a copy of the world and commits it only on success, so a refused action
//! leaves the world unchanged. It never panics, whatever the strings in the action.
//!
//! Invoice, works and sollicitation operations (part 2) are handled in `invoicing.rs`; moving
//! the clock plays the scheduled events of [`crate::clock`].

use serde::{Deserialize, Serialize};

use crate::invoice::{
    Amount, Attachment, Cadre, InvoiceForm, SollicitationEvent, SollicitationForm, VatRate,
};
use crate::invoicing;
use crate::records::{DepositCertificate, WorksRole};
use crate::validate::{self, FieldError};
use crate::world::{
    default_espaces, same_email, AccessLevel, Account, AccountStatus, ActivationLink, Address,
    BankAccount, Email, EmailKind, Espace, IdentifierType, Member, RattachementRequest,
    RequestStatus, Role, SecretQuestion, Service, Structure, World, ACTIVATION_LINK_MINUTES,
};

/// Who performs an action: nobody logged in, or a user (by login).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum UserRef {
    /// Nobody is logged in (account creation, activation, login).
    Anonymous,
    /// A user, by login e-mail.
    User {
        /// Login e-mail.
        email: String,
    },
}

impl UserRef {
    /// The user logged in the world (`world.current_user`).
    pub fn current(world: &World) -> UserRef {
        match &world.current_user {
            Some(email) => UserRef::User {
                email: email.clone(),
            },
            None => UserRef::Anonymous,
        }
    }

    /// A user by login.
    pub fn user(email: &str) -> UserRef {
        UserRef::User {
            email: email.to_owned(),
        }
    }
}

/// One operation of the learner (or of another simulated user) on the portal.
///
/// JSON form: `{"type": "create_account", "login_email": "…", …}`. In every variant, `siret`
/// is the identifier of a structure (its SIRET for SIRET structures).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Action {
    /// « Créer un compte » (form « Informations personnelles »); sends the activation e-mail.
    CreateAccount {
        /// « Adresse e-mail de connexion ».
        login_email: String,
        /// « Nom ».
        last_name: String,
        /// « Prénom ».
        first_name: String,
        /// « Téléphone » (optional).
        #[serde(default)]
        phone: String,
        /// « Adresse e-mail de contact »; empty means the login address.
        #[serde(default)]
        contact_email: String,
        /// « J'accepte les conditions ».
        accept_conditions: bool,
    },
    /// Sends a new activation link (ClaudIA or the gestionnaire can do it).
    ResendActivation {
        /// Login of the account.
        email: String,
    },
    /// Follows the activation link and chooses the password.
    ActivateAccount {
        /// Token of the link (from the activation e-mail).
        token: String,
        /// « Mot de passe ».
        password: String,
        /// « Confirmation du mot de passe ».
        password_confirmation: String,
    },
    /// « Se connecter ».
    Login {
        /// Login e-mail.
        email: String,
        /// Password.
        password: String,
    },
    /// « Se déconnecter ».
    Logout,
    /// « Mon compte »: chooses the secret question and its answer.
    SetSecretQuestion {
        /// Question.
        question: String,
        /// Answer.
        answer: String,
    },
    /// « Mon compte »: changes the personal data.
    UpdateAccount {
        /// « Nom ».
        last_name: String,
        /// « Prénom ».
        first_name: String,
        /// « Téléphone ».
        #[serde(default)]
        phone: String,
        /// « Adresse e-mail de contact »; empty means the login address.
        #[serde(default)]
        contact_email: String,
    },
    /// Creates a structure; its creator becomes gestionnaire principal.
    CreateStructure {
        /// Type of identifier.
        #[serde(default)]
        identifier_type: IdentifierType,
        /// Identifier (SIRET).
        siret: String,
        /// Raison sociale; for a SIRET, empty keeps the register's one.
        #[serde(default)]
        raison_sociale: String,
        /// Address; for a SIRET, `None` keeps the register's one.
        #[serde(default)]
        address: Option<Address>,
    },
    /// Modifies a structure (gestionnaire principal only).
    UpdateStructure {
        /// Structure.
        siret: String,
        /// New raison sociale; empty keeps it.
        #[serde(default)]
        raison_sociale: String,
        /// New address; `None` keeps it.
        #[serde(default)]
        address: Option<Address>,
    },
    /// « Demande de rattachement » to a structure found by the search.
    RequestRattachement {
        /// Structure.
        siret: String,
        /// Codes of the services asked for.
        #[serde(default)]
        services: Vec<String>,
    },
    /// « Activités du gestionnaire »: validates a request.
    ValidateRattachement {
        /// The request.
        request_id: u64,
    },
    /// « Activités du gestionnaire »: refuses a request.
    RefuseRattachement {
        /// The request.
        request_id: u64,
        /// Reason shown to the user.
        #[serde(default)]
        reason: String,
    },
    /// The gestionnaire attaches a user himself.
    AttachUser {
        /// Structure.
        siret: String,
        /// Login of the user (active account).
        email: String,
    },
    /// The gestionnaire detaches a user who left.
    DetachUser {
        /// Structure.
        siret: String,
        /// Login of the user.
        email: String,
    },
    /// Transfers the gestionnaire principal role to another attached user.
    TransferGestionnairePrincipal {
        /// Structure.
        siret: String,
        /// Login of the new gestionnaire principal.
        email: String,
    },
    /// Sets a user's access level to an espace of a structure.
    SetEspaceAccess {
        /// Structure.
        siret: String,
        /// Login of the user.
        email: String,
        /// Espace.
        espace: Espace,
        /// Level.
        level: AccessLevel,
    },
    /// Creates a service (gestionnaire principal only).
    CreateService {
        /// Structure.
        siret: String,
        /// Code service.
        code: String,
        /// Libellé.
        #[serde(default)]
        name: String,
    },
    /// Activates or deactivates a service.
    SetServiceActive {
        /// Structure.
        siret: String,
        /// Code service.
        code: String,
        /// New state.
        active: bool,
    },
    /// Attaches a member of the structure to a service.
    AttachUserToService {
        /// Structure.
        siret: String,
        /// Code service.
        code: String,
        /// Login of the user.
        email: String,
    },
    /// Detaches a user from a service.
    DetachUserFromService {
        /// Structure.
        siret: String,
        /// Code service.
        code: String,
        /// Login of the user.
        email: String,
    },
    /// Adds « coordonnées bancaires » to a structure.
    AddBankAccount {
        /// Structure.
        siret: String,
        /// IBAN (spaces allowed).
        iban: String,
        /// BIC.
        bic: String,
        /// « Titulaire du compte ».
        holder: String,
        /// « Affactureur » box.
        #[serde(default)]
        affactureur: bool,
    },
    /// Removes bank details from a structure.
    RemoveBankAccount {
        /// Structure.
        siret: String,
        /// IBAN of the account to remove.
        iban: String,
    },
    /// Moves the simulated clock forward; the events falling due are played
    /// (see [`crate::clock`]).
    AdvanceClock {
        /// Minutes to add.
        minutes: u64,
    },
    /// « Enregistrer »: saves the invoice form as a brouillon (nothing is sent). Entry errors
    /// come back as warnings; only the supplier structure is required.
    SaveInvoiceDraft {
        /// The draft to update; a new draft when omitted.
        #[serde(default)]
        invoice_id: Option<u64>,
        /// The form.
        form: InvoiceForm,
    },
    /// « Valider et envoyer » then « Confirmer et envoyer »: sends the invoice (a new one, or
    /// a draft). The outcome carries the certificat de dépôt ([`OutcomeData::Certificate`]).
    SendInvoice {
        /// The draft to send; a new invoice when omitted.
        #[serde(default)]
        invoice_id: Option<u64>,
        /// The form.
        form: InvoiceForm,
    },
    /// « Déposer une facture »: chooses a PDF provided by the scenario; creates a draft whose
    /// form the PDF pre-fills ([`OutcomeData::Invoice`] gives its id).
    DepositPdf {
        /// Id of the provided document.
        document: String,
        /// The supplier structure.
        supplier_siret: String,
    },
    /// Deletes a brouillon.
    DeleteInvoiceDraft {
        /// The draft.
        invoice_id: u64,
    },
    /// Re-addresses an invoice « À recycler »: only the recipient SIRET, the code service and
    /// the engagement may differ from the invoice; the number is kept.
    RecycleInvoice {
        /// The invoice.
        invoice_id: u64,
        /// The corrected form.
        form: InvoiceForm,
    },
    /// Completes a « Suspendue » invoice with the missing attachments: it becomes « Complétée ».
    CompleteInvoice {
        /// The invoice.
        invoice_id: u64,
        /// Attachments added (at least one).
        attachments: Vec<Attachment>,
    },
    /// « Acquitter » the rejection or suspension of an invoice (pop-up at login).
    AcknowledgeInvoice {
        /// The invoice.
        invoice_id: u64,
    },
    /// « Factures à valider »: the valideur (titulaire or mandataire) validates an A9/A12
    /// invoice; it goes on to the public recipient.
    ValidateInvoice {
        /// The invoice.
        invoice_id: u64,
        /// Comment.
        #[serde(default)]
        comment: String,
    },
    /// « Factures à valider »: the valideur refuses an A9/A12 invoice; it is not forwarded.
    RefuseInvoice {
        /// The invoice.
        invoice_id: u64,
        /// Reason (mandatory).
        reason: String,
    },
    /// Works dossier: the learner chooses which actor he plays (among those the scenario
    /// lets him play).
    SwitchWorksRole {
        /// The dossier.
        dossier_id: u64,
        /// The actor.
        role: WorksRole,
    },
    /// Works dossier, as titulaire: initial deposit of a projet de décompte mensuel (A4), of
    /// an état d'acompte (A5) when the contract has no MOE, or of the projet de décompte final
    /// (A7) at the end of the contract.
    DepositWorksPiece {
        /// The dossier.
        dossier_id: u64,
        /// A4, A5 or A7.
        cadre: Cadre,
        /// Piece number.
        number: String,
        /// Amount HT claimed.
        amount_ht: Amount,
        /// VAT rate of the works.
        vat_rate: VatRate,
    },
    /// Works dossier, as MOE: « déposer un état d'acompte à partir d'une facture travaux »: an
    /// A15 associated with a received projet de décompte, with the amount accepted.
    CreateEtatAcompte {
        /// The dossier.
        dossier_id: u64,
        /// Index of the projet de décompte in the dossier.
        projet_id: usize,
        /// Number of the état d'acompte.
        number: String,
        /// Amount HT accepted.
        amount_ht: Amount,
    },
    /// Works dossier, as MOA: the état d'acompte validé (A19) associated with a received état
    /// d'acompte; it goes to the service financier.
    ValidateEtatAcompte {
        /// The dossier.
        dossier_id: u64,
        /// Index of the état d'acompte in the dossier.
        etat_id: usize,
        /// Number of the état d'acompte validé.
        number: String,
        /// Amount HT validated.
        amount_ht: Amount,
    },
    /// Works dossier, as titulaire: validates a sous-traitant's A10.
    ValidateWorksPiece {
        /// The dossier.
        dossier_id: u64,
        /// Index of the piece.
        piece_id: usize,
    },
    /// Works dossier, as MOE or MOA: refuses a received piece (« Erreur de montant » is not
    /// a valid reason).
    RefuseWorksPiece {
        /// The dossier.
        dossier_id: u64,
        /// Index of the piece.
        piece_id: usize,
        /// Reason.
        reason: String,
    },
    /// End of contract, as MOE: the projet de décompte général (A17) associated with the
    /// titulaire's projet de décompte final (A7); it goes to the MOA.
    CreateProjetDecompteGeneral {
        /// The dossier.
        dossier_id: u64,
        /// Index of the A7 in the dossier.
        final_id: usize,
        /// Number of the A17.
        number: String,
        /// Amount HT of the projet de décompte général.
        amount_ht: Amount,
    },
    /// End of contract, as MOA: notifies the décompte général (A20) to the titulaire, associated
    /// with the MOE's A17 (or, within its 10 days, the titulaire's A22).
    NotifyDecompteGeneral {
        /// The dossier.
        dossier_id: u64,
        /// Index of the A17 or A22 in the dossier.
        projet_id: usize,
        /// Number of the A20.
        number: String,
        /// Amount HT of the décompte général.
        amount_ht: Amount,
    },
    /// End of contract, as titulaire: signs the décompte général (A20) within 30 days, with or
    /// without reserves; the DGD (A8) goes to the service financier.
    SignDecompteGeneral {
        /// The dossier.
        dossier_id: u64,
        /// Index of the A20 in the dossier.
        decompte_id: usize,
        /// Number of the A8.
        number: String,
        /// Reserves; empty to sign without reserves.
        #[serde(default)]
        reserves: String,
    },
    /// End of contract, as titulaire: refuses the décompte général (A20) within 30 days.
    RefuseDecompteGeneral {
        /// The dossier.
        dossier_id: u64,
        /// Index of the A20 in the dossier.
        decompte_id: usize,
        /// Reasons (mandatory).
        reason: String,
    },
    /// Tacit route, as titulaire: sends the signed projet de décompte général (A22),
    /// associated with his A7, to the MOA with copy to the MOE.
    SendProjetDecompteTacite {
        /// The dossier.
        dossier_id: u64,
        /// Index of the A7 in the dossier.
        final_id: usize,
        /// Number of the A22.
        number: String,
        /// Amount HT claimed.
        amount_ht: Amount,
    },
    /// Tacit route, as titulaire: once the MOA has let 10 days pass, deposits the DGD tacite
    /// (A23, the A22's amount).
    DepositDgdTacite {
        /// The dossier.
        dossier_id: u64,
        /// Index of the A22 in the dossier.
        projet_id: usize,
        /// Number of the A23.
        number: String,
    },
    /// « Saisir sollicitation »: writes a sollicitation and sends it (or keeps it as a draft).
    CreateSollicitation {
        /// The form.
        form: SollicitationForm,
        /// Keep it as a brouillon instead of sending it.
        #[serde(default)]
        draft: bool,
    },
    /// Sends a brouillon sollicitation.
    SendSollicitation {
        /// The sollicitation.
        sollicitation_id: u64,
    },
    /// The sender acts on his sollicitation: `provide_information` (with a message),
    /// `send_back`, `close`.
    ActOnSollicitation {
        /// The sollicitation.
        sollicitation_id: u64,
        /// The event (a sender's one).
        event: SollicitationEvent,
        /// Message added to the exchange.
        #[serde(default)]
        message: String,
    },
    /// « Avancer de N jours »: moves the clock forward by whole days, playing the events due.
    AdvanceDays {
        /// Days (at least 1).
        days: u32,
    },
    /// « Jusqu'au prochain événement »: moves the clock to the day of the next scheduled
    /// event and plays it.
    AdvanceToNextEvent,
}

/// The result of an accepted action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Outcome {
    /// French confirmation message.
    pub message: String,
    /// Points accepted but worth checking (e.g. a wrong RIB key, see
    /// [`validate::rib_key_warning`]; the entry errors of a saved draft).
    pub warnings: Vec<FieldError>,
    /// What the action created, for the browser to show next (absent from the JSON when none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data: Option<OutcomeData>,
}

/// What an accepted action created.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum OutcomeData {
    /// An invoice (a saved draft, a draft pre-filled from a PDF).
    Invoice {
        /// Its id.
        invoice_id: u64,
    },
    /// A sent invoice and its certificat de dépôt.
    Certificate {
        /// Its id.
        invoice_id: u64,
        /// The certificate.
        certificate: Box<DepositCertificate>,
    },
    /// A works piece.
    WorksPiece {
        /// The dossier.
        dossier_id: u64,
        /// Index of the piece in the dossier.
        piece_id: usize,
    },
    /// A sollicitation.
    Sollicitation {
        /// Its id.
        sollicitation_id: u64,
        /// Its number.
        number: String,
    },
    /// Events played by a move of the clock.
    Clock {
        /// How many.
        events: usize,
    },
}

/// Applies an action performed by `actor`. On refusal, returns every error found and leaves
/// the world unchanged. Never panics.
///
/// `actor` is usually [`UserRef::current`]; tests and scenarios may act as another user.
/// `Login`/`Logout` change `world.current_user` whoever the actor is.
pub fn apply(
    world: &mut World,
    actor: &UserRef,
    action: Action,
) -> Result<Outcome, Vec<FieldError>> {
    let mut draft = world.clone();
    let outcome = apply_to_draft(&mut draft, actor, action)?;
    *world = draft;
    Ok(outcome)
}

/// [`apply`] as the logged-in user of the world.
pub fn apply_as_current(world: &mut World, action: Action) -> Result<Outcome, Vec<FieldError>> {
    let actor = UserRef::current(world);
    apply(world, &actor, action)
}

pub(crate) type Applied = Result<Outcome, Vec<FieldError>>;

fn apply_to_draft(world: &mut World, actor: &UserRef, action: Action) -> Applied {
    match action {
        Action::CreateAccount {
            login_email,
            last_name,
            first_name,
            phone,
            contact_email,
            accept_conditions,
        } => create_account(
            world,
            NewAccount {
                login_email,
                last_name,
                first_name,
                phone,
                contact_email,
                accept_conditions,
            },
        ),
        Action::ResendActivation { email } => resend_activation(world, &email),
        Action::ActivateAccount {
            token,
            password,
            password_confirmation,
        } => activate_account(world, &token, &password, &password_confirmation),
        Action::Login { email, password } => login(world, &email, &password),
        Action::Logout => {
            world.current_user = None;
            Ok(done("Vous êtes déconnecté."))
        }
        Action::SetSecretQuestion { question, answer } => {
            let email = logged_in(world, actor)?;
            let mut errors = Vec::new();
            if question.trim().is_empty() {
                errors.push(validate::required("question_secrete", "Question secrète"));
            }
            if answer.trim().is_empty() {
                errors.push(validate::required("reponse_secrete", "Réponse"));
            }
            fail_if(errors)?;
            let account = account_mut(world, &email)?;
            account.secret_question = Some(SecretQuestion {
                question: question.trim().to_owned(),
                answer: answer.trim().to_owned(),
            });
            Ok(done("Votre question secrète a été enregistrée."))
        }
        Action::UpdateAccount {
            last_name,
            first_name,
            phone,
            contact_email,
        } => {
            let email = logged_in(world, actor)?;
            let mut errors = Vec::new();
            check_names(&mut errors, &last_name, &first_name);
            push_err(&mut errors, validate::phone("telephone", &phone));
            if !contact_email.trim().is_empty() {
                push_err(
                    &mut errors,
                    validate::email("adresse_email_contact", &contact_email),
                );
            }
            fail_if(errors)?;
            let account = account_mut(world, &email)?;
            account.last_name = last_name.trim().to_owned();
            account.first_name = first_name.trim().to_owned();
            account.phone = non_empty(&phone);
            account.contact_email =
                non_empty(&contact_email).unwrap_or_else(|| account.login.clone());
            Ok(done("Vos informations personnelles ont été enregistrées."))
        }
        Action::CreateStructure {
            identifier_type,
            siret,
            raison_sociale,
            address,
        } => create_structure(
            world,
            actor,
            identifier_type,
            &siret,
            &raison_sociale,
            address,
        ),
        Action::UpdateStructure {
            siret,
            raison_sociale,
            address,
        } => {
            let email = logged_in(world, actor)?;
            require_gestionnaire(world, &siret, &email, "modifier la structure")?;
            let structure = structure_mut(world, &siret)?;
            if !raison_sociale.trim().is_empty() {
                structure.raison_sociale = raison_sociale.trim().to_owned();
            }
            if let Some(address) = address {
                structure.address = address;
            }
            Ok(done(
                "Les modifications de la structure ont été enregistrées.",
            ))
        }
        Action::RequestRattachement { siret, services } => {
            request_rattachement(world, actor, &siret, services)
        }
        Action::ValidateRattachement { request_id } => {
            decide_rattachement(world, actor, request_id, None)
        }
        Action::RefuseRattachement { request_id, reason } => {
            decide_rattachement(world, actor, request_id, Some(reason))
        }
        Action::AttachUser { siret, email } => attach_user(world, actor, &siret, &email),
        Action::DetachUser { siret, email } => {
            let manager = logged_in(world, actor)?;
            require_gestionnaire(world, &siret, &manager, "détacher un utilisateur")?;
            if world.role(&siret, &email) == Some(Role::GestionnairePrincipal) {
                return Err(vec![FieldError::new(
                    "utilisateur",
                    "detach-gestionnaire",
                    "Le gestionnaire principal ne peut pas être détaché de sa structure.",
                    "Pour quitter la structure, le gestionnaire principal transfère d’abord son rôle à un autre utilisateur rattaché.",
                )]);
            }
            let structure = structure_mut(world, &siret)?;
            let before = structure.members.len();
            structure.members.retain(|m| !same_email(&m.email, &email));
            if structure.members.len() == before {
                return Err(vec![not_member(&email)]);
            }
            Ok(done(format!(
                "L’utilisateur {} n’est plus rattaché à la structure.",
                email.trim()
            )))
        }
        Action::TransferGestionnairePrincipal { siret, email } => {
            transfer_gestionnaire(world, actor, &siret, &email)
        }
        Action::SetEspaceAccess {
            siret,
            email,
            espace,
            level,
        } => set_espace_access(world, actor, &siret, &email, espace, level),
        Action::CreateService { siret, code, name } => {
            let manager = logged_in(world, actor)?;
            require_gestionnaire(world, &siret, &manager, "créer un service")?;
            validate::code_service("code_service", &code).map_err(|e| vec![e])?;
            let code = code.trim().to_owned();
            let structure = structure_mut(world, &siret)?;
            if structure
                .services
                .iter()
                .any(|s| s.code.to_lowercase() == code.to_lowercase())
            {
                return Err(vec![FieldError::new(
                    "code_service",
                    "service-duplicate",
                    format!("Un service de code « {code} » existe déjà dans cette structure."),
                    "Le code service identifie un service dans sa structure : deux services d’une même structure ne peuvent pas avoir le même code (le simulateur ignore la casse).",
                )]);
            }
            let name = if name.trim().is_empty() {
                code.clone()
            } else {
                name.trim().to_owned()
            };
            structure.services.push(Service {
                code: code.clone(),
                name,
                active: true,
            });
            Ok(done(format!("Le service « {code} » a été créé.")))
        }
        Action::SetServiceActive {
            siret,
            code,
            active,
        } => {
            let manager = logged_in(world, actor)?;
            let verb = if active {
                "activer un service"
            } else {
                "désactiver un service"
            };
            require_gestionnaire(world, &siret, &manager, verb)?;
            let service = service_mut(world, &siret, &code)?;
            service.active = active;
            Ok(done(if active {
                format!("Le service « {} » est actif.", service.code)
            } else {
                format!("Le service « {} » est désactivé.", service.code)
            }))
        }
        Action::AttachUserToService { siret, code, email } => {
            set_service_membership(world, actor, &siret, &code, &email, true)
        }
        Action::DetachUserFromService { siret, code, email } => {
            set_service_membership(world, actor, &siret, &code, &email, false)
        }
        Action::AddBankAccount {
            siret,
            iban,
            bic,
            holder,
            affactureur,
        } => {
            let manager = logged_in(world, actor)?;
            require_gestionnaire(
                world,
                &siret,
                &manager,
                "modifier les coordonnées bancaires",
            )?;
            let mut errors = Vec::new();
            push_err(&mut errors, validate::iban("iban", &iban));
            push_err(&mut errors, validate::bic("bic", &bic));
            if holder.trim().is_empty() {
                errors.push(validate::required("titulaire", "Titulaire du compte"));
            }
            fail_if(errors)?;
            let iban_norm = validate::normalize_code(&iban);
            let warnings: Vec<FieldError> = validate::rib_key_warning("iban", &iban_norm)
                .into_iter()
                .collect();
            let structure = structure_mut(world, &siret)?;
            if structure.bank_accounts.iter().any(|b| b.iban == iban_norm) {
                return Err(vec![FieldError::new(
                    "iban",
                    "bank-account-duplicate",
                    "Ces coordonnées bancaires sont déjà déclarées sur la structure.",
                    "Chaque compte bancaire n’est déclaré qu’une fois sur la fiche structure.",
                )]);
            }
            structure.bank_accounts.push(BankAccount {
                iban: iban_norm,
                bic: validate::normalize_code(&bic),
                holder: holder.trim().to_owned(),
                affactureur,
            });
            let message = if affactureur {
                "Les coordonnées bancaires de l’affactureur ont été ajoutées."
            } else {
                "Les coordonnées bancaires ont été ajoutées."
            };
            Ok(Outcome {
                message: message.to_owned(),
                warnings,
                data: None,
            })
        }
        Action::RemoveBankAccount { siret, iban } => {
            let manager = logged_in(world, actor)?;
            require_gestionnaire(
                world,
                &siret,
                &manager,
                "modifier les coordonnées bancaires",
            )?;
            let iban_norm = validate::normalize_code(&iban);
            let structure = structure_mut(world, &siret)?;
            let before = structure.bank_accounts.len();
            structure.bank_accounts.retain(|b| b.iban != iban_norm);
            if structure.bank_accounts.len() == before {
                return Err(vec![FieldError::new(
                    "iban",
                    "bank-account-unknown",
                    "Aucunes coordonnées bancaires de la structure ne portent cet IBAN.",
                    "On ne peut supprimer que des coordonnées bancaires déclarées sur la structure.",
                )]);
            }
            Ok(done("Les coordonnées bancaires ont été supprimées."))
        }
        Action::AdvanceClock { minutes } => {
            let target = world.clock.saturating_add(minutes);
            crate::clock::advance_to(world, target);
            Ok(done(format!("{minutes} minute(s) se sont écoulées.")))
        }
        Action::SaveInvoiceDraft { invoice_id, form } => {
            invoicing::save_draft(world, actor, invoice_id, form)
        }
        Action::SendInvoice { invoice_id, form } => {
            invoicing::send_invoice(world, actor, invoice_id, form)
        }
        Action::DepositPdf {
            document,
            supplier_siret,
        } => invoicing::deposit_pdf(world, actor, &document, &supplier_siret),
        Action::DeleteInvoiceDraft { invoice_id } => {
            invoicing::delete_draft(world, actor, invoice_id)
        }
        Action::RecycleInvoice { invoice_id, form } => {
            invoicing::recycle(world, actor, invoice_id, form)
        }
        Action::CompleteInvoice {
            invoice_id,
            attachments,
        } => invoicing::complete(world, actor, invoice_id, attachments),
        Action::AcknowledgeInvoice { invoice_id } => {
            invoicing::acknowledge(world, actor, invoice_id)
        }
        Action::ValidateInvoice {
            invoice_id,
            comment,
        } => invoicing::decide_as_valideur(world, actor, invoice_id, Ok(comment)),
        Action::RefuseInvoice { invoice_id, reason } => {
            invoicing::decide_as_valideur(world, actor, invoice_id, Err(reason))
        }
        Action::SwitchWorksRole { dossier_id, role } => {
            invoicing::switch_works_role(world, actor, dossier_id, role)
        }
        Action::DepositWorksPiece {
            dossier_id,
            cadre,
            number,
            amount_ht,
            vat_rate,
        } => invoicing::deposit_works_piece(
            world,
            actor,
            dossier_id,
            cadre,
            invoicing::PieceInput {
                number,
                amount_ht,
                vat_rate: Some(vat_rate),
            },
        ),
        Action::CreateEtatAcompte {
            dossier_id,
            projet_id,
            number,
            amount_ht,
        } => invoicing::associate_works_piece(
            world,
            actor,
            dossier_id,
            projet_id,
            WorksRole::Moe,
            invoicing::PieceInput {
                number,
                amount_ht,
                vat_rate: None,
            },
        ),
        Action::ValidateEtatAcompte {
            dossier_id,
            etat_id,
            number,
            amount_ht,
        } => invoicing::associate_works_piece(
            world,
            actor,
            dossier_id,
            etat_id,
            WorksRole::Moa,
            invoicing::PieceInput {
                number,
                amount_ht,
                vat_rate: None,
            },
        ),
        Action::ValidateWorksPiece {
            dossier_id,
            piece_id,
        } => invoicing::validate_works_piece(world, actor, dossier_id, piece_id),
        Action::RefuseWorksPiece {
            dossier_id,
            piece_id,
            reason,
        } => invoicing::refuse_works_piece(world, actor, dossier_id, piece_id, &reason),
        Action::CreateProjetDecompteGeneral {
            dossier_id,
            final_id,
            number,
            amount_ht,
        } => invoicing::create_projet_decompte_general(
            world,
            actor,
            dossier_id,
            final_id,
            invoicing::PieceInput {
                number,
                amount_ht,
                vat_rate: None,
            },
        ),
        Action::NotifyDecompteGeneral {
            dossier_id,
            projet_id,
            number,
            amount_ht,
        } => invoicing::notify_decompte_general(
            world,
            actor,
            dossier_id,
            projet_id,
            invoicing::PieceInput {
                number,
                amount_ht,
                vat_rate: None,
            },
        ),
        Action::SignDecompteGeneral {
            dossier_id,
            decompte_id,
            number,
            reserves,
        } => invoicing::sign_decompte_general(
            world,
            actor,
            dossier_id,
            decompte_id,
            &number,
            &reserves,
        ),
        Action::RefuseDecompteGeneral {
            dossier_id,
            decompte_id,
            reason,
        } => invoicing::refuse_decompte_general(world, actor, dossier_id, decompte_id, &reason),
        Action::SendProjetDecompteTacite {
            dossier_id,
            final_id,
            number,
            amount_ht,
        } => invoicing::send_projet_tacite(
            world,
            actor,
            dossier_id,
            final_id,
            invoicing::PieceInput {
                number,
                amount_ht,
                vat_rate: None,
            },
        ),
        Action::DepositDgdTacite {
            dossier_id,
            projet_id,
            number,
        } => invoicing::deposit_dgd_tacite(world, actor, dossier_id, projet_id, &number),
        Action::CreateSollicitation { form, draft } => {
            invoicing::create_sollicitation(world, actor, form, draft)
        }
        Action::SendSollicitation { sollicitation_id } => {
            invoicing::send_sollicitation(world, actor, sollicitation_id)
        }
        Action::ActOnSollicitation {
            sollicitation_id,
            event,
            message,
        } => invoicing::act_on_sollicitation(world, actor, sollicitation_id, event, &message),
        Action::AdvanceDays { days } => invoicing::advance_days(world, days),
        Action::AdvanceToNextEvent => invoicing::advance_to_next_event(world),
    }
}

struct NewAccount {
    login_email: String,
    last_name: String,
    first_name: String,
    phone: String,
    contact_email: String,
    accept_conditions: bool,
}

fn create_account(world: &mut World, form: NewAccount) -> Applied {
    let mut errors = Vec::new();
    push_err(
        &mut errors,
        validate::email("adresse_email_connexion", &form.login_email),
    );
    check_names(&mut errors, &form.last_name, &form.first_name);
    push_err(&mut errors, validate::phone("telephone", &form.phone));
    if !form.contact_email.trim().is_empty() {
        push_err(
            &mut errors,
            validate::email("adresse_email_contact", &form.contact_email),
        );
    }
    if !form.accept_conditions {
        errors.push(FieldError::new(
            "conditions",
            "conditions-not-accepted",
            "Vous devez accepter les conditions pour créer votre compte.",
            "La case « J'accepte les conditions » (transmission des données personnelles au ministre chargé du budget) doit être cochée.",
        ));
    }
    if world.account(&form.login_email).is_some() {
        errors.push(FieldError::new(
            "adresse_email_connexion",
            "account-exists",
            "Un compte existe déjà avec cette adresse e-mail de connexion.",
            "L’adresse e-mail de connexion identifie le compte : elle ne peut servir qu’à un seul compte. Si le lien d’activation a expiré, demandez-en un nouveau.",
        ));
    }
    fail_if(errors)?;
    let login = form.login_email.trim().to_owned();
    let token = next_token(world);
    world.accounts.push(Account {
        login: login.clone(),
        last_name: form.last_name.trim().to_owned(),
        first_name: form.first_name.trim().to_owned(),
        phone: non_empty(&form.phone),
        contact_email: non_empty(&form.contact_email).unwrap_or_else(|| login.clone()),
        status: AccountStatus::PendingActivation,
        password: None,
        secret_question: None,
        activation: Some(ActivationLink {
            token: token.clone(),
            sent_at: world.clock,
        }),
        created_at: world.clock,
    });
    send_activation_email(world, &login, &token);
    Ok(done(format!(
        "Votre compte a été créé. Un e-mail vous a été envoyé à l’adresse {login} : cliquez sur le lien d’activation qu’il contient dans les {ACTIVATION_LINK_MINUTES} minutes."
    )))
}

fn resend_activation(world: &mut World, email: &str) -> Applied {
    let token = next_token(world);
    let clock = world.clock;
    let account = account_mut(world, email)?;
    if account.status != AccountStatus::PendingActivation {
        return Err(vec![FieldError::new(
            "adresse_email_connexion",
            "account-already-active",
            "Ce compte est déjà activé.",
            "Le lien d’activation ne sert qu’une fois, pour un compte qui n’est pas encore activé.",
        )]);
    }
    account.activation = Some(ActivationLink {
        token: token.clone(),
        sent_at: clock,
    });
    let login = account.login.clone();
    send_activation_email(world, &login, &token);
    Ok(done(format!(
        "Un nouveau lien d’activation a été envoyé à l’adresse {login}."
    )))
}

fn activate_account(world: &mut World, token: &str, password: &str, confirmation: &str) -> Applied {
    let clock = world.clock;
    let Some(account) = world.accounts.iter_mut().find(|a| {
        a.activation
            .as_ref()
            .is_some_and(|link| link.token == token.trim())
    }) else {
        return Err(vec![FieldError::new(
            "lien",
            "activation-link-invalid",
            "Ce lien d’activation n’est pas valide.",
            "Seul le dernier lien d’activation envoyé est valable ; demander un nouveau lien rend les précédents inutilisables.",
        )]);
    };
    let sent_at = account.activation.as_ref().map_or(0, |link| link.sent_at);
    if clock.saturating_sub(sent_at) > ACTIVATION_LINK_MINUTES {
        return Err(vec![FieldError::new(
            "lien",
            "activation-link-expired",
            "Le lien d’activation a expiré. Demandez l’envoi d’un nouveau lien.",
            "Le lien d’activation reçu par e-mail est valable 60 minutes. Passé ce délai, il faut demander un nouveau lien (par exemple à ClaudIA).",
        )]);
    }
    let mut errors = Vec::new();
    push_err(&mut errors, validate::password("mot_de_passe", password));
    if password != confirmation {
        errors.push(FieldError::new(
            "confirmation_mot_de_passe",
            "password-mismatch",
            "Les deux mots de passe saisis sont différents.",
            "Le mot de passe est saisi deux fois pour éviter une faute de frappe : les deux saisies doivent être identiques.",
        ));
    }
    fail_if(errors)?;
    account.status = AccountStatus::Active;
    account.password = Some(password.to_owned());
    account.activation = None;
    Ok(done(
        "Votre compte est activé. Vous pouvez vous connecter avec votre adresse e-mail de connexion et votre mot de passe.",
    ))
}

fn login(world: &mut World, email: &str, password: &str) -> Applied {
    let refused = || {
        vec![FieldError::new(
            "identifiant",
            "login-failed",
            "Identifiant ou mot de passe incorrect.",
            "On se connecte avec l’adresse e-mail de connexion du compte et son mot de passe.",
        )]
    };
    let Some(account) = world.account(email) else {
        return Err(refused());
    };
    match account.status {
        AccountStatus::PendingActivation => {
            return Err(vec![FieldError::new(
                "identifiant",
                "account-not-active",
                "Votre compte n’est pas encore activé.",
                "Avant la première connexion, il faut cliquer sur le lien d’activation reçu par e-mail (valable 60 minutes) et choisir son mot de passe.",
            )]);
        }
        AccountStatus::Deactivated => {
            return Err(vec![FieldError::new(
                "identifiant",
                "account-deactivated",
                "Ce compte est désactivé.",
                "Un compte désactivé ne permet plus de se connecter.",
            )]);
        }
        AccountStatus::Active => {}
    }
    if account.password.as_deref() != Some(password) {
        return Err(refused());
    }
    let login = account.login.clone();
    let name = format!("{} {}", account.first_name, account.last_name);
    world.current_user = Some(login);
    Ok(done(format!("Bienvenue, {}.", name.trim())))
}

fn create_structure(
    world: &mut World,
    actor: &UserRef,
    identifier_type: IdentifierType,
    siret: &str,
    raison_sociale: &str,
    address: Option<Address>,
) -> Applied {
    let email = logged_in(world, actor)?;
    let identifier = siret.trim().to_owned();
    let (raison_sociale, address) = if identifier_type == IdentifierType::Siret {
        let entry = world.lookup_register(&identifier).map_err(|e| vec![e])?;
        let name = if raison_sociale.trim().is_empty() {
            entry.raison_sociale.clone()
        } else {
            raison_sociale.trim().to_owned()
        };
        let address = if entry.non_diffusible {
            address.unwrap_or_default()
        } else {
            address.unwrap_or_else(|| entry.address.clone())
        };
        (name, address)
    } else {
        let mut errors = Vec::new();
        if identifier.is_empty() {
            errors.push(validate::required("identifiant", "Identifiant"));
        }
        if raison_sociale.trim().is_empty() {
            errors.push(validate::required("raison_sociale", "Raison sociale"));
        }
        fail_if(errors)?;
        (
            raison_sociale.trim().to_owned(),
            address.unwrap_or_default(),
        )
    };
    if let Some(existing) = world.structure(&identifier) {
        return Err(vec![FieldError::new(
            "siret",
            "structure-exists",
            format!(
                "La structure {} ({}) existe déjà dans Chorus Pro. Faites une demande de rattachement.",
                existing.raison_sociale, existing.siret
            ),
            "Il n’existe qu’une structure par SIRET. Si elle existe déjà, on demande à y être rattaché ; son gestionnaire principal valide la demande.",
        )]);
    }
    let login = world
        .account(&email)
        .map_or(email.clone(), |a| a.login.clone());
    world.structures.push(Structure {
        identifier_type,
        siret: identifier.clone(),
        raison_sociale: raison_sociale.clone(),
        address,
        active: true,
        gestionnaire_principal: login.clone(),
        members: vec![Member {
            email: login,
            services: Vec::new(),
            espaces: default_espaces(),
        }],
        services: Vec::new(),
        bank_accounts: Vec::new(),
    });
    Ok(done(format!(
        "La structure {raison_sociale} ({identifier}) a été créée. Vous en êtes le gestionnaire principal."
    )))
}

fn request_rattachement(
    world: &mut World,
    actor: &UserRef,
    siret: &str,
    services: Vec<String>,
) -> Applied {
    let email = logged_in(world, actor)?;
    let structure = find_structure(world, siret)?;
    let mut errors = Vec::new();
    for code in &services {
        if !structure.service(code).is_some_and(|s| s.active) {
            errors.push(unknown_service(code));
        }
    }
    if structure.member(&email).is_some() {
        errors.push(FieldError::new(
            "structure",
            "already-attached",
            "Vous êtes déjà rattaché à cette structure.",
            "Une demande de rattachement ne sert qu’aux structures auxquelles on n’est pas encore rattaché.",
        ));
    }
    let structure_id = structure.siret.clone();
    let gestionnaire = structure.gestionnaire_principal.clone();
    let raison_sociale = structure.raison_sociale.clone();
    if world.requests.iter().any(|r| {
        r.status == RequestStatus::Pending
            && r.siret == structure_id
            && same_email(&r.email, &email)
    }) {
        errors.push(FieldError::new(
            "structure",
            "request-pending",
            "Une demande de rattachement à cette structure est déjà en cours de validation.",
            "La demande attend la décision du gestionnaire principal dans « Activités du gestionnaire ».",
        ));
    }
    fail_if(errors)?;
    let id = next_id(world);
    world.requests.push(RattachementRequest {
        id,
        email: email.clone(),
        siret: structure_id.clone(),
        services,
        status: RequestStatus::Pending,
        created_at: world.clock,
        decided_at: None,
        reason: None,
    });
    let to = contact_of(world, &gestionnaire);
    send_email(
        world,
        &to,
        "Nouvelle demande de rattachement à votre structure",
        format!(
            "L’utilisateur {email} demande à être rattaché à la structure {raison_sociale} ({structure_id}).\nVous pouvez valider ou refuser cette demande dans « Activités du gestionnaire » > « Les demandes de rattachement à une structure »."
        ),
        EmailKind::RattachementRequested { request_id: id },
    );
    Ok(done(format!(
        "Votre demande de rattachement à la structure {raison_sociale} a été envoyée. Elle doit être validée par le gestionnaire principal de la structure."
    )))
}

fn decide_rattachement(
    world: &mut World,
    actor: &UserRef,
    request_id: u64,
    refusal: Option<String>,
) -> Applied {
    let manager = logged_in(world, actor)?;
    let Some(request) = world.requests.iter().find(|r| r.id == request_id).cloned() else {
        return Err(vec![FieldError::new(
            "demande",
            "request-unknown",
            "Cette demande de rattachement n’existe pas.",
            "Les demandes à traiter sont listées dans « Activités du gestionnaire ».",
        )]);
    };
    require_gestionnaire(
        world,
        &request.siret,
        &manager,
        "traiter les demandes de rattachement",
    )?;
    if request.status != RequestStatus::Pending {
        return Err(vec![FieldError::new(
            "demande",
            "request-already-decided",
            "Cette demande de rattachement a déjà été traitée.",
            "Une demande de rattachement n’est validée ou refusée qu’une fois.",
        )]);
    }
    let clock = world.clock;
    let raison_sociale = find_structure(world, &request.siret)?
        .raison_sociale
        .clone();
    let validated = refusal.is_none();
    if validated {
        let structure = structure_mut(world, &request.siret)?;
        let services: Vec<String> = request
            .services
            .iter()
            .filter(|code| structure.service(code).is_some())
            .cloned()
            .collect();
        if structure.member(&request.email).is_none() {
            structure.members.push(Member {
                email: request.email.clone(),
                services,
                espaces: default_espaces(),
            });
        }
    }
    if let Some(stored) = world.requests.iter_mut().find(|r| r.id == request_id) {
        stored.decided_at = Some(clock);
        if let Some(reason) = &refusal {
            stored.status = RequestStatus::Refused;
            stored.reason = non_empty(reason);
        } else {
            stored.status = RequestStatus::Validated;
        }
    }
    let to = contact_of(world, &request.email);
    let (decision, reason_text, kind) = match refusal {
        None => (
            "validée",
            String::new(),
            EmailKind::RattachementValidated { request_id },
        ),
        Some(reason) if reason.trim().is_empty() => (
            "refusée",
            String::new(),
            EmailKind::RattachementRefused { request_id },
        ),
        Some(reason) => (
            "refusée",
            format!("\nMotif : {}", reason.trim()),
            EmailKind::RattachementRefused { request_id },
        ),
    };
    send_email(
        world,
        &to,
        &format!("Votre demande de rattachement a été {decision}"),
        format!("Votre demande de rattachement à la structure {raison_sociale} ({}) a été {decision} par son gestionnaire principal.{reason_text}", request.siret),
        kind,
    );
    Ok(done(format!(
        "La demande de rattachement de {} a été {decision}. L’utilisateur en est informé par e-mail.",
        request.email
    )))
}

fn attach_user(world: &mut World, actor: &UserRef, siret: &str, email: &str) -> Applied {
    let manager = logged_in(world, actor)?;
    require_gestionnaire(world, siret, &manager, "rattacher un utilisateur")?;
    let login = active_account(world, email)?;
    let structure = structure_mut(world, siret)?;
    if structure.member(&login).is_some() {
        return Err(vec![FieldError::new(
            "utilisateur",
            "already-attached",
            "Cet utilisateur est déjà rattaché à la structure.",
            "Un utilisateur n’est rattaché qu’une fois à une structure.",
        )]);
    }
    structure.members.push(Member {
        email: login.clone(),
        services: Vec::new(),
        espaces: default_espaces(),
    });
    let siret = structure.siret.clone();
    let raison_sociale = structure.raison_sociale.clone();
    let to = contact_of(world, &login);
    send_email(
        world,
        &to,
        "Vous avez été rattaché à une structure",
        format!("Le gestionnaire principal de la structure {raison_sociale} ({siret}) vous y a rattaché."),
        EmailKind::UserAttached { siret },
    );
    Ok(done(format!(
        "L’utilisateur {login} est rattaché à la structure."
    )))
}

fn transfer_gestionnaire(world: &mut World, actor: &UserRef, siret: &str, email: &str) -> Applied {
    let manager = logged_in(world, actor)?;
    require_gestionnaire(
        world,
        siret,
        &manager,
        "transférer le rôle de gestionnaire principal",
    )?;
    let login = active_account(world, email)?;
    if same_email(&login, &manager) {
        return Err(vec![FieldError::new(
            "utilisateur",
            "transfer-to-self",
            "Vous êtes déjà le gestionnaire principal de cette structure.",
            "Le rôle se transfère à un autre utilisateur rattaché à la structure.",
        )]);
    }
    let structure = structure_mut(world, siret)?;
    if structure.member(&login).is_none() {
        return Err(vec![FieldError::new(
            "utilisateur",
            "transfer-not-member",
            "Cet utilisateur n’est pas rattaché à la structure.",
            "Le rôle de gestionnaire principal ne peut être transféré qu’à un utilisateur déjà rattaché à la structure, avec un compte actif.",
        )]);
    }
    structure.gestionnaire_principal = login.clone();
    let siret = structure.siret.clone();
    let raison_sociale = structure.raison_sociale.clone();
    let to = contact_of(world, &login);
    send_email(
        world,
        &to,
        "Vous êtes gestionnaire principal d’une structure",
        format!("Le rôle de gestionnaire principal de la structure {raison_sociale} ({siret}) vous a été transféré."),
        EmailKind::GestionnaireTransferred { siret },
    );
    Ok(done(format!(
        "{login} est désormais le gestionnaire principal de la structure. Vous restez rattaché comme utilisateur."
    )))
}

fn set_espace_access(
    world: &mut World,
    actor: &UserRef,
    siret: &str,
    email: &str,
    espace: Espace,
    level: AccessLevel,
) -> Applied {
    let user = logged_in(world, actor)?;
    let structure = find_structure(world, siret)?;
    let is_manager = same_email(&structure.gestionnaire_principal, &user);
    let for_self = same_email(&user, email);
    if structure.member(&user).is_none() {
        return Err(vec![not_attached()]);
    }
    if !(is_manager || for_self && espace.self_service()) {
        return Err(vec![FieldError::new(
            "espace",
            "espace-needs-gestionnaire",
            format!(
                "Seul le gestionnaire principal peut modifier l’accès à l’espace « {} ».",
                espace.label()
            ),
            "Un utilisateur peut ouvrir ou fermer lui-même l’espace « Factures émises » ; les autres espaces et les droits des autres utilisateurs sont gérés par le gestionnaire principal (simplification du simulateur : l’abonnement soumis à validation n’est pas simulé).",
        )]);
    }
    let structure = structure_mut(world, siret)?;
    let Some(member) = structure
        .members
        .iter_mut()
        .find(|m| same_email(&m.email, email))
    else {
        return Err(vec![not_member(email)]);
    };
    if level == AccessLevel::None {
        member.espaces.remove(&espace);
    } else {
        member.espaces.insert(espace, level);
    }
    Ok(done(format!(
        "Accès de {} à l’espace « {} » : {}.",
        member.email,
        espace.label(),
        level.label()
    )))
}

fn set_service_membership(
    world: &mut World,
    actor: &UserRef,
    siret: &str,
    code: &str,
    email: &str,
    attach: bool,
) -> Applied {
    let manager = logged_in(world, actor)?;
    let verb = if attach {
        "rattacher un utilisateur à un service"
    } else {
        "détacher un utilisateur d’un service"
    };
    require_gestionnaire(world, siret, &manager, verb)?;
    let structure = structure_mut(world, siret)?;
    let Some(service) = structure.service(code) else {
        return Err(vec![unknown_service(code)]);
    };
    let code = service.code.clone();
    if attach && !service.active {
        return Err(vec![FieldError::new(
            "code_service",
            "service-inactive",
            format!("Le service « {code} » est désactivé."),
            "On ne rattache des utilisateurs qu’à un service actif.",
        )]);
    }
    let Some(member) = structure
        .members
        .iter_mut()
        .find(|m| same_email(&m.email, email))
    else {
        return Err(vec![not_member(email)]);
    };
    let present = member.services.contains(&code);
    if attach {
        if present {
            return Err(vec![FieldError::new(
                "utilisateur",
                "service-already-attached",
                "Cet utilisateur est déjà rattaché à ce service.",
                "Un utilisateur n’est rattaché qu’une fois à un service.",
            )]);
        }
        member.services.push(code.clone());
        Ok(done(format!(
            "{} est rattaché au service « {code} ».",
            member.email
        )))
    } else {
        if !present {
            return Err(vec![FieldError::new(
                "utilisateur",
                "service-not-attached",
                "Cet utilisateur n’est pas rattaché à ce service.",
                "On ne détache d’un service que les utilisateurs qui y sont rattachés.",
            )]);
        }
        member.services.retain(|c| c != &code);
        Ok(done(format!(
            "{} n’est plus rattaché au service « {code} ».",
            member.email
        )))
    }
}

// Helpers: every refusal below carries a rule for the learner.

pub(crate) fn done(message: impl Into<String>) -> Outcome {
    Outcome {
        message: message.into(),
        warnings: Vec::new(),
        data: None,
    }
}

pub(crate) fn push_err(errors: &mut Vec<FieldError>, result: Result<(), FieldError>) {
    if let Err(error) = result {
        errors.push(error);
    }
}

pub(crate) fn fail_if(errors: Vec<FieldError>) -> Result<(), Vec<FieldError>> {
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

fn non_empty(value: &str) -> Option<String> {
    let value = value.trim();
    (!value.is_empty()).then(|| value.to_owned())
}

fn check_names(errors: &mut Vec<FieldError>, last_name: &str, first_name: &str) {
    if last_name.trim().is_empty() {
        errors.push(validate::required("nom", "Nom"));
    }
    if first_name.trim().is_empty() {
        errors.push(validate::required("prenom", "Prénom"));
    }
}

/// The login of the acting user, who must have an active account.
pub(crate) fn logged_in(world: &World, actor: &UserRef) -> Result<String, Vec<FieldError>> {
    let refused = || {
        vec![FieldError::new(
            "session",
            "not-logged-in",
            "Vous devez être connecté pour effectuer cette opération.",
            "Les opérations sur les structures et le compte demandent d’être connecté avec un compte activé.",
        )]
    };
    let UserRef::User { email } = actor else {
        return Err(refused());
    };
    match world.account(email) {
        Some(account) if account.status == AccountStatus::Active => Ok(account.login.clone()),
        _ => Err(refused()),
    }
}

fn active_account(world: &World, email: &str) -> Result<String, Vec<FieldError>> {
    match world.account(email) {
        Some(account) if account.status == AccountStatus::Active => Ok(account.login.clone()),
        Some(_) => Err(vec![FieldError::new(
            "utilisateur",
            "user-not-active",
            "Le compte de cet utilisateur n’est pas activé.",
            "Seul un utilisateur dont le compte est activé peut être rattaché à une structure ou en devenir gestionnaire.",
        )]),
        None => Err(vec![FieldError::new(
            "utilisateur",
            "user-unknown",
            "Aucun compte Chorus Pro n’existe avec cette adresse e-mail.",
            "L’utilisateur doit d’abord créer son compte et l’activer.",
        )]),
    }
}

fn require_gestionnaire(
    world: &World,
    siret: &str,
    email: &str,
    what: &str,
) -> Result<(), Vec<FieldError>> {
    find_structure(world, siret)?;
    match world.role(siret, email) {
        Some(Role::GestionnairePrincipal) => Ok(()),
        Some(Role::Utilisateur) => Err(vec![FieldError::new(
            "structure",
            "not-gestionnaire",
            format!("Seul le gestionnaire principal de la structure peut {what}."),
            "Le gestionnaire principal (par défaut, le créateur de la structure) gère la structure : utilisateurs, rattachements, services, espaces et coordonnées bancaires. Un simple utilisateur peut tout faire sauf modifier la structure.",
        )]),
        None => Err(vec![not_attached()]),
    }
}

fn not_attached() -> FieldError {
    FieldError::new(
        "structure",
        "not-attached",
        "Vous n’êtes pas rattaché à cette structure.",
        "On n’agit que pour les structures auxquelles on est rattaché : créez la structure ou faites une demande de rattachement.",
    )
}

fn not_member(email: &str) -> FieldError {
    FieldError::new(
        "utilisateur",
        "user-not-attached",
        format!(
            "L’utilisateur {} n’est pas rattaché à la structure.",
            email.trim()
        ),
        "Les droits, services et espaces ne concernent que les utilisateurs rattachés à la structure.",
    )
}

fn unknown_service(code: &str) -> FieldError {
    FieldError::new(
        "code_service",
        "service-unknown",
        format!(
            "Le service « {} » n’existe pas dans cette structure ou n’est pas actif.",
            code.trim()
        ),
        "Seuls les services actifs d’une structure peuvent être choisis.",
    )
}

fn structure_unknown() -> Vec<FieldError> {
    vec![FieldError::new(
        "siret",
        "structure-unknown",
        "Aucune structure ne correspond à cet identifiant.",
        "La structure doit exister dans Chorus Pro ; un fournisseur crée sa propre structure avec son SIRET.",
    )]
}

fn find_structure<'a>(world: &'a World, siret: &str) -> Result<&'a Structure, Vec<FieldError>> {
    world.structure(siret).ok_or_else(structure_unknown)
}

fn structure_mut<'a>(
    world: &'a mut World,
    siret: &str,
) -> Result<&'a mut Structure, Vec<FieldError>> {
    world
        .structures
        .iter_mut()
        .find(|s| s.siret == siret.trim())
        .ok_or_else(structure_unknown)
}

fn service_mut<'a>(
    world: &'a mut World,
    siret: &str,
    code: &str,
) -> Result<&'a mut Service, Vec<FieldError>> {
    let structure = structure_mut(world, siret)?;
    structure
        .services
        .iter_mut()
        .find(|s| s.code == code)
        .ok_or_else(|| vec![unknown_service(code)])
}

fn account_mut<'a>(world: &'a mut World, email: &str) -> Result<&'a mut Account, Vec<FieldError>> {
    world
        .accounts
        .iter_mut()
        .find(|a| same_email(&a.login, email))
        .ok_or_else(|| {
            vec![FieldError::new(
                "adresse_email_connexion",
                "account-unknown",
                "Aucun compte n’existe avec cette adresse e-mail de connexion.",
                "Il faut d’abord créer son compte avec « Créer un compte ».",
            )]
        })
}

pub(crate) fn contact_of(world: &World, login: &str) -> String {
    world
        .account(login)
        .map_or_else(|| login.to_owned(), |a| a.contact_email.clone())
}

pub(crate) fn next_id(world: &mut World) -> u64 {
    let id = world.next_id;
    world.next_id = world.next_id.saturating_add(1);
    id
}

fn next_token(world: &mut World) -> String {
    format!("activation-{}", next_id(world))
}

fn send_activation_email(world: &mut World, login: &str, token: &str) {
    send_email(
        world,
        login,
        "Chorus Pro : activez votre compte",
        format!(
            "Bonjour,\nVotre compte Chorus Pro a été créé. Pour l’activer, cliquez sur le lien ci-dessous dans les {ACTIVATION_LINK_MINUTES} minutes, puis choisissez votre mot de passe.\n[Activer mon compte]"
        ),
        EmailKind::Activation {
            token: token.to_owned(),
        },
    );
}

pub(crate) fn send_email(
    world: &mut World,
    to: &str,
    subject: &str,
    body: String,
    kind: EmailKind,
) {
    let id = next_id(world);
    world.mailbox.push(Email {
        id,
        to: to.to_owned(),
        subject: subject.to_owned(),
        body,
        sent_at: world.clock,
        kind,
    });
}
