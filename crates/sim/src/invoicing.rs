//! The learner's operations on invoices, works dossiers and sollicitations, called by
//! [`crate::apply`] (which commits the world only when they succeed).
//!
//! Each operation: 1. finds the logged-in user and checks his access (espace « Factures
//! émises », « Factures à valider »…); 2. runs the domain rules of [`crate::invoice`]; 3. applies
//! the status event through [`Tracking::apply`](crate::invoice::Tracking::apply), so that only
//! the transitions of the status machine ever happen.

use crate::action::{done, fail_if, logged_in, next_id, Applied, Outcome, OutcomeData, UserRef};
use crate::clock::{advance_to, minute_of, next_event_day, transition_context};
use crate::invoice::{
    check_attachment, check_recycled_form, handler_for, sollicitation_transition, validate_entry,
    validate_send, validate_sollicitation, Actor, Amount, Attachment, BillingDossier, Cadre, Date,
    Event, InvoiceForm, SollicitationActor, SollicitationEvent, SollicitationForm,
    SollicitationStatus, Status, Tracking, TransitionError, VatRate, WorksDeposit, WorksError,
    WorksRefusalReason,
};
use crate::records::{
    build_certificate, DepositCertificate, EntryMode, Invoice, Sollicitation, SollicitationMessage,
    WorksRole, MINUTES_PER_DAY,
};
use crate::validate::FieldError;
use crate::world::{same_email, AccessLevel, Espace, World};

mod end_of_contract;

pub(crate) use end_of_contract::{
    create_projet_decompte_general, deposit_dgd_tacite, notify_decompte_general,
    refuse_decompte_general, send_projet_tacite, sign_decompte_general,
};

/// Number, amount and rate of a works piece typed by the learner.
pub(crate) struct PieceInput {
    pub number: String,
    pub amount_ht: Amount,
    /// `None`: the rate of the piece it is associated with.
    pub vat_rate: Option<VatRate>,
}

impl PieceInput {
    /// The deposit of this piece by `depositor_siret` on `today`, at the typed rate or else
    /// `default_rate`.
    fn deposit(&self, depositor_siret: String, default_rate: VatRate, today: Date) -> WorksDeposit {
        WorksDeposit {
            number: self.number.trim().to_owned(),
            depositor_siret,
            amount_ht: self.amount_ht,
            vat_rate: self.vat_rate.unwrap_or(default_rate),
            today,
        }
    }
}

pub(crate) fn save_draft(
    world: &mut World,
    actor: &UserRef,
    invoice_id: Option<u64>,
    form: InvoiceForm,
) -> Applied {
    let (email, mode) = open_draft(world, actor, invoice_id, &form)?;
    if mode == EntryMode::DepotPdf {
        // Reference 2.2: a PDF invoice cannot even be saved for an unknown or inactive recipient.
        let known = world
            .public_structure(&form.recipient_siret)
            .is_some_and(|p| p.active);
        if !known {
            return Err(vec![FieldError::new(
                "recipient_siret",
                "recipient-unknown",
                "Destinataire introuvable ou inactif dans Chorus Pro : la facture ne peut pas être enregistrée.",
                "Une facture déposée en PDF ne peut même pas être enregistrée si le destinataire n'est pas une structure publique existante et active de l'annuaire.",
            )]);
        }
    }
    let ctx = world.validation_context(&email, &form.supplier_siret, form.cadre);
    let warnings = validate_entry(&form, &ctx, &world.existing_invoices(invoice_id));
    let id = upsert_draft(world, &email, invoice_id, form, mode, None);
    Ok(Outcome {
        message: "La facture est enregistrée en brouillon (onglet « Synthèse »). Elle n'est pas envoyée : seul « Valider et envoyer » la transmet.".to_owned(),
        warnings,
        data: Some(OutcomeData::Invoice { invoice_id: id }),
    })
}

pub(crate) fn send_invoice(
    world: &mut World,
    actor: &UserRef,
    invoice_id: Option<u64>,
    form: InvoiceForm,
) -> Applied {
    let (email, mode) = open_draft(world, actor, invoice_id, &form)?;
    let ctx = world.validation_context(&email, &form.supplier_siret, form.cadre);
    fail_if(validate_send(
        &form,
        &ctx,
        &world.existing_invoices(invoice_id),
    ))?;
    let id = upsert_draft(world, &email, invoice_id, form, mode, None);
    let today = world.today();
    let idx = invoice_index(world, id)?;
    let ctx = transition_context(world, &world.invoices[idx], Actor::Fournisseur, today);
    world.invoices[idx]
        .tracking
        .apply(&Event::Send, &ctx)
        .map_err(status_error)?;
    let certificate = certificate(world, idx, &email);
    world.invoices[idx].certificate = Some(certificate.clone());
    Ok(Outcome {
        message: format!(
            "La facture n° {} est validée, elle est en cours de transmission.",
            certificate.invoice_number
        ),
        warnings: Vec::new(),
        data: Some(OutcomeData::Certificate {
            invoice_id: id,
            certificate: Box::new(certificate),
        }),
    })
}

pub(crate) fn deposit_pdf(
    world: &mut World,
    actor: &UserRef,
    document_id: &str,
    supplier_siret: &str,
) -> Applied {
    let email = logged_in(world, actor)?;
    require_supplier(world, &email, supplier_siret)?;
    let Some(document) = world.document(document_id) else {
        return Err(vec![FieldError::new(
            "document",
            "document-unknown",
            "Choisissez un fichier à déposer.",
            "« Déposer une facture » part d'un fichier PDF ou XML préparé ailleurs ; le portail lit le PDF et pré-remplit le formulaire.",
        )]);
    };
    let attachment = document.attachment();
    let mut errors = check_attachment("document", &attachment);
    if attachment.password_protected {
        errors.push(FieldError::new(
            "document",
            "attachment-password-protected",
            format!(
                "Le fichier « {} » est protégé par un mot de passe.",
                attachment.name
            ),
            "Chorus Pro refuse les PDF protégés par un mot de passe.",
        ));
    }
    if attachment.extension().as_deref() != Some("PDF") {
        errors.push(FieldError::new(
            "document",
            "document-not-pdf",
            format!("Le fichier « {} » n'est pas un PDF.", attachment.name),
            "Le dépôt d'une facture se fait à partir d'un PDF (ou d'un fichier XML UBL/CII) ; les autres fichiers sont des pièces jointes.",
        ));
    }
    fail_if(errors)?;
    let form = world
        .prefilled_form(document_id, supplier_siret)
        .expect("the document exists");
    let document = document_id.trim().to_owned();
    let id = upsert_draft(
        world,
        &email,
        None,
        form,
        EntryMode::DepotPdf,
        Some(document),
    );
    Ok(Outcome {
        message: "Le fichier a été lu : vérifiez et complétez les champs pré-remplis, puis enregistrez ou envoyez la facture.".to_owned(),
        warnings: Vec::new(),
        data: Some(OutcomeData::Invoice { invoice_id: id }),
    })
}

pub(crate) fn delete_draft(world: &mut World, actor: &UserRef, invoice_id: u64) -> Applied {
    let email = logged_in(world, actor)?;
    let idx = own_invoice(world, &email, invoice_id)?;
    apply_event(world, idx, &Event::DeleteDraft, Actor::Fournisseur)?;
    Ok(done("Le brouillon a été supprimé."))
}

pub(crate) fn recycle(
    world: &mut World,
    actor: &UserRef,
    invoice_id: u64,
    form: InvoiceForm,
) -> Applied {
    let email = logged_in(world, actor)?;
    let idx = own_invoice(world, &email, invoice_id)?;
    let original = world.invoices[idx].form.clone();
    if world.invoices[idx].tracking.status != Status::ARecycler {
        return Err(status_error(TransitionError::NotAllowed {
            from: world.invoices[idx].tracking.status,
            event: Event::Readdress,
        }));
    }
    let mut errors = check_recycled_form(&original, &form);
    let ctx = world.validation_context(&email, &form.supplier_siret, form.cadre);
    for error in validate_send(&form, &ctx, &world.existing_invoices(Some(invoice_id))) {
        if !errors
            .iter()
            .any(|e| e.field == error.field && e.code == error.code)
        {
            errors.push(error);
        }
    }
    fail_if(errors)?;
    let recipient_changed = original.recipient_siret.trim() != form.recipient_siret.trim();
    apply_event(world, idx, &Event::Readdress, Actor::Fournisseur)?;
    let invoice = &mut world.invoices[idx];
    invoice.form = form;
    if recipient_changed {
        // A new recipient plays its own behaviour from the start.
        invoice.next_step = 0;
        invoice.behaviour = None;
    }
    let name = world
        .public_structure(&world.invoices[idx].form.recipient_siret)
        .map(|p| p.name.clone())
        .unwrap_or_default();
    Ok(done(format!(
        "La facture n° {} a été recyclée : elle est mise à disposition de {name}, sous le même numéro.",
        world.invoices[idx].form.number
    )))
}

pub(crate) fn complete(
    world: &mut World,
    actor: &UserRef,
    invoice_id: u64,
    attachments: Vec<Attachment>,
) -> Applied {
    let email = logged_in(world, actor)?;
    let idx = own_invoice(world, &email, invoice_id)?;
    let mut errors = Vec::new();
    if attachments.is_empty() {
        errors.push(FieldError::new(
            "attachments",
            "attachment-required",
            "Ajoutez au moins une pièce jointe pour compléter la facture.",
            "Une facture « Suspendue » attend des pièces justificatives : on la complète en ajoutant les pièces jointes demandées, elle devient « Complétée ».",
        ));
    }
    for (idx, attachment) in attachments.iter().enumerate() {
        let field = format!("attachments[{idx}]");
        errors.extend(check_attachment(&field, attachment));
        if attachment.password_protected {
            errors.push(FieldError::new(
                field,
                "attachment-password-protected",
                format!(
                    "Le fichier « {} » est protégé par un mot de passe.",
                    attachment.name
                ),
                "Chorus Pro refuse les PDF protégés par un mot de passe.",
            ));
        }
    }
    fail_if(errors)?;
    let added = u32::try_from(attachments.len()).unwrap_or(u32::MAX);
    apply_event(
        world,
        idx,
        &Event::Complete {
            attachments_added: added,
        },
        Actor::Fournisseur,
    )?;
    let invoice = &mut world.invoices[idx];
    invoice.form.attachments.extend(attachments);
    Ok(done(format!(
        "La facture n° {} est complétée : le destinataire reprend son traitement.",
        invoice.form.number
    )))
}

pub(crate) fn acknowledge(world: &mut World, actor: &UserRef, invoice_id: u64) -> Applied {
    let email = logged_in(world, actor)?;
    let idx = own_invoice(world, &email, invoice_id)?;
    let today = world.today();
    let invoice = &mut world.invoices[idx];
    if !invoice.tracking.acknowledge() {
        return Err(vec![FieldError::new(
            "statut",
            "nothing-to-acknowledge",
            "Cette facture n'a pas de rejet ou de suspension à acquitter.",
            "On acquitte une facture rejetée ou suspendue (fenêtre affichée à la connexion ; l'acquittement devient obligatoire après 7 jours).",
        )]);
    }
    invoice.acknowledged_on = Some(today);
    let message = if invoice.tracking.status == Status::Rejetee {
        format!(
            "Le rejet de la facture n° {} est acquitté. Traitez le rejet puis déposez une nouvelle facture avec un nouveau numéro.",
            invoice.form.number
        )
    } else {
        format!(
            "La suspension de la facture n° {} est acquittée. Complétez-la avec les pièces demandées.",
            invoice.form.number
        )
    };
    Ok(done(message))
}

pub(crate) fn decide_as_valideur(
    world: &mut World,
    actor: &UserRef,
    invoice_id: u64,
    decision: Result<String, String>,
) -> Applied {
    let email = logged_in(world, actor)?;
    let idx = invoice_index(world, invoice_id)?;
    let valideur = world.invoices[idx].form.valideur_siret.trim().to_owned();
    let allowed =
        world.structures_with_access(&email, Espace::FacturesAValider, AccessLevel::Modification);
    if valideur.is_empty() || !allowed.contains(&valideur) {
        return Err(vec![FieldError::new(
            "valideur_siret",
            "not-valideur",
            "Vous ne pouvez pas valider cette facture : votre structure n'en est pas le valideur, ou vous n'avez pas accès à l'espace « Factures à valider ».",
            "Une facture de sous-traitant (A9) est validée par le titulaire, une facture de cotraitant (A12) par le mandataire, dans l'espace « Factures à valider » (accès en modification).",
        )]);
    }
    let (event, message) = match decision {
        Ok(comment) => (
            Event::Validate {
                comment: comment.trim().to_owned(),
            },
            "La facture est validée : elle est transmise automatiquement à la structure publique destinataire.",
        ),
        Err(reason) => (
            Event::RefuseValidation {
                reason: reason.trim().to_owned(),
            },
            "La facture est refusée : elle n'est pas transmise au destinataire.",
        ),
    };
    apply_event(world, idx, &event, Actor::Valideur)?;
    Ok(done(message))
}

pub(crate) fn switch_works_role(
    world: &mut World,
    actor: &UserRef,
    dossier_id: u64,
    role: WorksRole,
) -> Applied {
    logged_in(world, actor)?;
    let works = works_mut(world, dossier_id)?;
    if !works.learner_roles.contains(&role) {
        return Err(vec![FieldError::new(
            "role",
            "works-role-not-playable",
            format!("Dans cet exercice, la {} est jouée par le simulateur.", role.label()),
            "Chaque acteur d'un marché de travaux (titulaire, MOE, MOA) a sa propre structure ; l'exercice dit quels acteurs vous jouez.",
        )]);
    }
    works.current_role = Some(role);
    Ok(done(format!(
        "Vous agissez maintenant comme {}.",
        role.label()
    )))
}

pub(crate) fn deposit_works_piece(
    world: &mut World,
    actor: &UserRef,
    dossier_id: u64,
    cadre: Cadre,
    input: PieceInput,
) -> Applied {
    let (today, works) = open_works(world, actor, dossier_id)?;
    require_role(works.current_role, WorksRole::Titulaire)?;
    if !matches!(cadre, Cadre::A4 | Cadre::A5 | Cadre::A7) {
        return Err(works_error(WorksError::WrongCadre(cadre)));
    }
    check_piece_input(works, &input)?;
    let deposit = input.deposit(
        works.dossier.titulaire_siret.clone(),
        VatRate::Normal,
        today,
    );
    let piece_id = works
        .dossier
        .deposit_initial(cadre, deposit)
        .map_err(works_error)?;
    let to = if matches!(cadre, Cadre::A4 | Cadre::A7) {
        "à la maîtrise d'œuvre"
    } else {
        "à la maîtrise d'ouvrage"
    };
    Ok(works_outcome(
        format!(
            "La pièce {} ({}) est déposée et mise à disposition {to}.",
            input.number.trim(),
            cadre.label()
        ),
        dossier_id,
        piece_id,
    ))
}

/// The MOE's état d'acompte (A15, `role` Moe) or the MOA's état d'acompte validé (A19, `role`
/// Moa), deposited in association with the received piece.
pub(crate) fn associate_works_piece(
    world: &mut World,
    actor: &UserRef,
    dossier_id: u64,
    received_id: usize,
    role: WorksRole,
    input: PieceInput,
) -> Applied {
    let (today, works) = open_works(world, actor, dossier_id)?;
    require_role(works.current_role, role)?;
    check_piece_input(works, &input)?;
    let deposit =
        answering_deposit(works, role, received_id, &input, today).map_err(works_error)?;
    let (piece_id, message) = if role == WorksRole::Moe {
        let id = works
            .dossier
            .associate_etat_acompte(received_id, deposit)
            .map_err(works_error)?;
        (id, "L'état d'acompte (A15) est déposé en association avec le projet de décompte et mis à disposition de la maîtrise d'ouvrage.")
    } else {
        let id = works
            .dossier
            .associate_etat_acompte_valide(received_id, deposit)
            .map_err(works_error)?;
        (id, "L'état d'acompte validé (A19) est déposé : il est transmis au service financier pour paiement.")
    };
    let corrected = works.dossier.pieces[piece_id].amount_corrected;
    let message = if corrected {
        format!("{message} Le montant diffère de la pièce reçue : le titulaire dispose de 30 jours pour le contester.")
    } else {
        message.to_owned()
    };
    Ok(works_outcome(message, dossier_id, piece_id))
}

pub(crate) fn validate_works_piece(
    world: &mut World,
    actor: &UserRef,
    dossier_id: u64,
    piece_id: usize,
) -> Applied {
    let (today, works) = open_works(world, actor, dossier_id)?;
    require_role(works.current_role, WorksRole::Titulaire)?;
    let titulaire = works.dossier.titulaire_siret.clone();
    works
        .dossier
        .validate_subcontractor_piece(piece_id, &titulaire, today)
        .map_err(works_error)?;
    Ok(works_outcome(
        "La pièce du sous-traitant est validée : elle est mise à disposition de la maîtrise d'œuvre.".to_owned(),
        dossier_id,
        piece_id,
    ))
}

pub(crate) fn refuse_works_piece(
    world: &mut World,
    actor: &UserRef,
    dossier_id: u64,
    piece_id: usize,
    reason: &str,
) -> Applied {
    let (today, works) = open_works(world, actor, dossier_id)?;
    let Some(role) = works.current_role else {
        return Err(works_error(WorksError::WrongActor));
    };
    let siret = role_siret(&works.dossier, role);
    let reason = if reason.trim().eq_ignore_ascii_case("erreur de montant") {
        WorksRefusalReason::ErreurDeMontant
    } else {
        WorksRefusalReason::Autre(reason.trim().to_owned())
    };
    works
        .dossier
        .refuse(piece_id, &siret, &reason, today)
        .map_err(works_error)?;
    Ok(works_outcome(
        "La pièce est refusée : le circuit de facturation s'arrête pour cette pièce.".to_owned(),
        dossier_id,
        piece_id,
    ))
}

pub(crate) fn create_sollicitation(
    world: &mut World,
    actor: &UserRef,
    form: SollicitationForm,
    draft: bool,
) -> Applied {
    let email = logged_in(world, actor)?;
    let siret = form.structure_siret.trim();
    if !siret.is_empty() && world.role(siret, &email).is_none() {
        return Err(vec![FieldError::new(
            "structure_siret",
            "not-attached",
            "Vous n'êtes pas rattaché à cette structure.",
            "Une sollicitation est émise au nom d'une structure à laquelle son compte est rattaché.",
        )]);
    }
    if !draft {
        fail_if(validate_sollicitation(&form))?;
    }
    let id = next_id(world);
    let today = world.today();
    let mut sollicitation = Sollicitation {
        id,
        number: format!("SOL-{id:06}"),
        handler: handler_for(&form.category).unwrap_or(crate::invoice::Handler::Support),
        messages: vec![SollicitationMessage {
            from: SollicitationActor::Sender,
            at: today,
            text: form.message.trim().to_owned(),
        }],
        form,
        status: SollicitationStatus::Brouillon,
        created_by: email,
        status_since: today,
    };
    if !draft {
        sollicitation.status = SollicitationStatus::Envoyee;
    }
    let number = sollicitation.number.clone();
    world.sollicitations.push(sollicitation);
    let message = if draft {
        format!("La sollicitation n° {number} est enregistrée en brouillon.")
    } else {
        format!("Votre sollicitation n° {number} a été envoyée. Suivez son traitement dans l'espace « Sollicitations émises ».")
    };
    Ok(Outcome {
        message,
        warnings: Vec::new(),
        data: Some(OutcomeData::Sollicitation {
            sollicitation_id: id,
            number,
        }),
    })
}

pub(crate) fn send_sollicitation(world: &mut World, actor: &UserRef, id: u64) -> Applied {
    let email = logged_in(world, actor)?;
    let idx = own_sollicitation(world, &email, id)?;
    fail_if(validate_sollicitation(&world.sollicitations[idx].form))?;
    sollicitation_event(world, idx, SollicitationEvent::Send, "")?;
    Ok(done(format!(
        "Votre sollicitation n° {} a été envoyée.",
        world.sollicitations[idx].number
    )))
}

pub(crate) fn act_on_sollicitation(
    world: &mut World,
    actor: &UserRef,
    id: u64,
    event: SollicitationEvent,
    message: &str,
) -> Applied {
    let email = logged_in(world, actor)?;
    let idx = own_sollicitation(world, &email, id)?;
    if event == SollicitationEvent::ProvideInformation && message.trim().is_empty() {
        return Err(vec![FieldError::new(
            "message",
            "sollicitation-message-required",
            "Saisissez le complément d'information demandé.",
            "Quand le destinataire demande un complément, on lui répond par un message (et, si besoin, des pièces jointes).",
        )]);
    }
    sollicitation_event(world, idx, event, message)?;
    let status = world.sollicitations[idx].status;
    Ok(done(format!(
        "Sollicitation n° {} : {}.",
        world.sollicitations[idx].number,
        status.label()
    )))
}

pub(crate) fn advance_days(world: &mut World, days: u32) -> Applied {
    if days == 0 {
        return Err(vec![FieldError::new(
            "jours",
            "days-required",
            "Indiquez un nombre de jours.",
            "Le temps simulé avance d'au moins un jour.",
        )]);
    }
    let target = world
        .clock
        .saturating_add(u64::from(days).saturating_mul(MINUTES_PER_DAY));
    let events = advance_to(world, target);
    Ok(clock_outcome(world, events))
}

pub(crate) fn advance_to_next_event(world: &mut World) -> Applied {
    let Some(day) = next_event_day(world) else {
        return Err(vec![FieldError::new(
            "horloge",
            "no-event-scheduled",
            "Aucun événement n'est prévu : rien ne se passera sans une action de votre part.",
            "Le temps simulé fait avancer les factures envoyées (acheminement, traitement par le destinataire, délais de validation) ; une facture qui attend une action du fournisseur ne bouge pas toute seule.",
        )]);
    };
    let target = world.clock.max(minute_of(world, day));
    let events = advance_to(world, target);
    Ok(clock_outcome(world, events))
}

// Helpers.

fn clock_outcome(world: &World, events: usize) -> Outcome {
    Outcome {
        message: format!(
            "Nous sommes le {}. {events} événement(s) se sont produits.",
            world.today()
        ),
        warnings: Vec::new(),
        data: Some(OutcomeData::Clock { events }),
    }
}

fn works_outcome(message: String, dossier_id: u64, piece_id: usize) -> Outcome {
    Outcome {
        message,
        warnings: Vec::new(),
        data: Some(OutcomeData::WorksPiece {
            dossier_id,
            piece_id,
        }),
    }
}

/// The start of saving or sending an invoice: the user is logged in, the draft (if any) is
/// his and still editable, and he may issue invoices for the form's supplier. Returns his
/// e-mail and the draft's entry mode.
fn open_draft(
    world: &World,
    actor: &UserRef,
    invoice_id: Option<u64>,
    form: &InvoiceForm,
) -> Result<(String, EntryMode), Vec<FieldError>> {
    let email = logged_in(world, actor)?;
    let mode = editable_draft(world, &email, invoice_id)?;
    require_supplier(world, &email, &form.supplier_siret)?;
    Ok((email, mode))
}

/// Checks that the user may issue invoices for the supplier structure.
fn require_supplier(world: &World, email: &str, siret: &str) -> Result<(), Vec<FieldError>> {
    if siret.trim().is_empty() {
        return Err(vec![FieldError::new(
            "supplier_siret",
            "supplier-required",
            "Choisissez la structure fournisseur.",
            "Le fournisseur est l'une des structures auxquelles votre compte est rattaché.",
        )]);
    }
    let allowed =
        world.structures_with_access(email, Espace::FacturesEmises, AccessLevel::Modification);
    if allowed.iter().any(|s| s == siret.trim()) {
        Ok(())
    } else {
        Err(vec![FieldError::new(
            "supplier_siret",
            "supplier-not-attached",
            "Vous ne pouvez pas émettre de factures pour cette structure.",
            "On émet des factures au nom d'une structure à laquelle on est rattaché, avec l'accès en modification à l'espace « Factures émises ».",
        )])
    }
}

/// For an update, checks the draft exists, is a brouillon and belongs to the user's
/// structures; returns its entry mode (saisie for a new invoice).
fn editable_draft(
    world: &World,
    email: &str,
    invoice_id: Option<u64>,
) -> Result<EntryMode, Vec<FieldError>> {
    let Some(id) = invoice_id else {
        return Ok(EntryMode::Saisie);
    };
    let idx = own_invoice(world, email, id)?;
    let invoice = &world.invoices[idx];
    if invoice.tracking.status != Status::Brouillon {
        return Err(vec![FieldError::new(
            "statut",
            "invoice-not-draft",
            format!(
                "La facture n° {} est au statut « {} » : elle ne peut plus être modifiée.",
                invoice.form.number,
                invoice.tracking.status.label()
            ),
            "Seul un brouillon se modifie librement ; une facture envoyée ne se corrige que si le destinataire la renvoie (« À recycler », « Suspendue »).",
        )]);
    }
    Ok(invoice.mode)
}

fn upsert_draft(
    world: &mut World,
    email: &str,
    invoice_id: Option<u64>,
    form: InvoiceForm,
    mode: EntryMode,
    document: Option<String>,
) -> u64 {
    if let Some(invoice) = invoice_id.and_then(|id| world.invoices.iter_mut().find(|i| i.id == id))
    {
        invoice.form = form;
        return invoice.id;
    }
    let id = next_id(world);
    let today = world.today();
    world.invoices.push(Invoice {
        id,
        form,
        mode,
        document,
        created_by: email.to_owned(),
        tracking: Tracking::new(today),
        certificate: None,
        next_step: 0,
        behaviour: None,
        acknowledged_on: None,
    });
    id
}

fn invoice_index(world: &World, id: u64) -> Result<usize, Vec<FieldError>> {
    world
        .invoices
        .iter()
        .position(|i| i.id == id && i.tracking.status != Status::Supprimee)
        .ok_or_else(|| {
            vec![FieldError::new(
                "facture",
                "invoice-unknown",
                "Facture introuvable.",
                "La facture doit exister dans le suivi de vos factures.",
            )]
        })
}

/// The invoice, which must belong to a structure where the user has « Factures émises » in
/// modification.
fn own_invoice(world: &World, email: &str, id: u64) -> Result<usize, Vec<FieldError>> {
    let idx = invoice_index(world, id)?;
    let supplier = world.invoices[idx].form.supplier_siret.trim().to_owned();
    require_supplier(world, email, &supplier)?;
    Ok(idx)
}

fn apply_event(
    world: &mut World,
    idx: usize,
    event: &Event,
    actor: Actor,
) -> Result<(), Vec<FieldError>> {
    let today = world.today();
    let ctx = transition_context(world, &world.invoices[idx], actor, today);
    world.invoices[idx]
        .tracking
        .apply(event, &ctx)
        .map(|_| ())
        .map_err(status_error)
}

fn status_error(error: TransitionError) -> Vec<FieldError> {
    vec![FieldError::new(
        "statut",
        error.code(),
        error.message_fr(),
        "Chaque statut n'autorise que certaines actions : le fournisseur recycle une facture « À recycler » (SIRET, code service ou engagement, même numéro), complète une facture « Suspendue » (pièces jointes) ; une facture « Rejetée » est définitive ; le valideur se prononce sur une facture A9/A12 qui l'attend.",
    )]
}

fn certificate(world: &mut World, idx: usize, email: &str) -> DepositCertificate {
    let id = next_id(world);
    build_certificate(world, &world.invoices[idx].form, id, world.today(), email)
}

fn works_mut(
    world: &mut World,
    dossier_id: u64,
) -> Result<&mut crate::records::WorksDossier, Vec<FieldError>> {
    world
        .works
        .iter_mut()
        .find(|w| w.id == dossier_id)
        .ok_or_else(|| {
            vec![FieldError::new(
                "dossier",
                "works-dossier-unknown",
                "Dossier de facturation introuvable.",
                "Les pièces de travaux se déposent dans le dossier de facturation du marché, espace « Factures de travaux ».",
            )]
        })
}

/// The start of every works operation: the learner is logged in and the dossier exists.
/// Returns today's date and the dossier.
fn open_works<'w>(
    world: &'w mut World,
    actor: &UserRef,
    dossier_id: u64,
) -> Result<(Date, &'w mut crate::records::WorksDossier), Vec<FieldError>> {
    logged_in(world, actor)?;
    let today = world.today();
    Ok((today, works_mut(world, dossier_id)?))
}

/// SIRET of the structure that plays `role` in the dossier (empty for a missing MOE).
fn role_siret(dossier: &BillingDossier, role: WorksRole) -> String {
    match role {
        WorksRole::Titulaire => dossier.titulaire_siret.clone(),
        WorksRole::Moe => dossier.moe_siret.clone().unwrap_or_default(),
        WorksRole::Moa => dossier.moa_siret.clone(),
    }
}

/// The deposit of a piece that `depositor` makes in answer to the received piece
/// `received_id`: by default at the received piece's VAT rate.
fn answering_deposit(
    works: &crate::records::WorksDossier,
    depositor: WorksRole,
    received_id: usize,
    input: &PieceInput,
    today: Date,
) -> Result<WorksDeposit, WorksError> {
    let received = works
        .dossier
        .pieces
        .get(received_id)
        .ok_or(WorksError::NoSuchPiece(received_id))?;
    Ok(input.deposit(
        role_siret(&works.dossier, depositor),
        received.vat_rate,
        today,
    ))
}

/// « Cette étape revient au titulaire / à la maîtrise d'œuvre… » for a step of `role`.
fn role_step_message(role: WorksRole) -> String {
    match role {
        WorksRole::Titulaire => "Cette étape revient au titulaire.".to_owned(),
        other => format!("Cette étape revient à la {}.", other.label()),
    }
}

fn require_role(current: Option<WorksRole>, expected: WorksRole) -> Result<(), Vec<FieldError>> {
    if current == Some(expected) {
        Ok(())
    } else {
        Err(vec![FieldError::new(
            "role",
            "works-wrong-role",
            role_step_message(expected),
            "Dans un marché de travaux, le titulaire dépose le projet de décompte (A4), la maîtrise d'œuvre l'état d'acompte (A15) et la maîtrise d'ouvrage l'état d'acompte validé (A19). Changez de rôle si l'exercice vous le permet.",
        )])
    }
}

fn check_piece_input(
    works: &crate::records::WorksDossier,
    input: &PieceInput,
) -> Result<(), Vec<FieldError>> {
    let mut errors = Vec::new();
    let number = input.number.trim();
    if number.is_empty() {
        errors.push(FieldError::new(
            "number",
            "number-required",
            "Le numéro de la pièce est obligatoire.",
            "Chaque pièce de travaux porte un numéro donné par celui qui la dépose.",
        ));
    } else if works
        .dossier
        .pieces
        .iter()
        .any(|p| p.number.eq_ignore_ascii_case(number))
    {
        errors.push(FieldError::new(
            "number",
            "number-duplicate",
            format!("Une pièce porte déjà le numéro « {number} » dans ce dossier."),
            "Chaque pièce du dossier de facturation a son propre numéro.",
        ));
    }
    if input.amount_ht.is_negative() || input.amount_ht.decimals() > 2 {
        errors.push(FieldError::new(
            "amount_ht",
            "amount-invalid",
            "Le montant HT doit être positif, avec au plus deux décimales.",
            "Un montant en euros est positif et a au plus deux décimales (les centimes).",
        ));
    }
    fail_if(errors)
}

fn works_error(error: WorksError) -> Vec<FieldError> {
    works_error_with_rule(
        error,
        "Circuit mensuel des travaux : titulaire → A4 → MOE (7 jours, état d'acompte A15 associé) → MOA (état d'acompte validé A19) → service financier. Un désaccord sur le montant se corrige dans la pièce suivante, il ne justifie pas un refus.",
    )
}

fn works_error_with_rule(error: WorksError, rule: &str) -> Vec<FieldError> {
    let code = match &error {
        WorksError::WrongCadre(_) => "works-wrong-cadre",
        WorksError::WrongActor => "works-wrong-actor",
        WorksError::NoSuchPiece(_) => "works-piece-unknown",
        WorksError::WrongStatus(_) => "works-wrong-status",
        WorksError::NoMoe => "works-no-moe",
        WorksError::HasMoe => "works-has-moe",
        WorksError::AmountErrorIsNotARefusalReason => "works-amount-error-not-a-reason",
        WorksError::ReasonRequired => "works-reason-required",
        WorksError::TooEarly { .. } => "works-too-early",
        WorksError::DeadlinePassed { .. } => "works-deadline-passed",
        WorksError::MoaStillHasTime { .. } => "works-moa-still-has-time",
        WorksError::AlreadyDone => "works-already-done",
    };
    vec![FieldError::new("piece", code, error.message_fr(), rule)]
}

fn own_sollicitation(world: &World, email: &str, id: u64) -> Result<usize, Vec<FieldError>> {
    world
        .sollicitations
        .iter()
        .position(|s| s.id == id && same_email(&s.created_by, email))
        .ok_or_else(|| {
            vec![FieldError::new(
                "sollicitation",
                "sollicitation-unknown",
                "Sollicitation introuvable.",
                "On suit ses propres sollicitations dans l'espace « Sollicitations émises ».",
            )]
        })
}

fn sollicitation_event(
    world: &mut World,
    idx: usize,
    event: SollicitationEvent,
    message: &str,
) -> Result<(), Vec<FieldError>> {
    let today = world.today();
    let sollicitation = &mut world.sollicitations[idx];
    let next =
        sollicitation_transition(sollicitation.status, event, SollicitationActor::Sender)
            .map_err(|error| {
                vec![FieldError::new(
                    "statut",
                    "sollicitation-not-allowed",
                    error.message_fr(),
                    "L'émetteur d'une sollicitation peut apporter un complément quand on le lui demande, la renvoyer si la réponse ne convient pas, ou la clôturer.",
                )]
            })?;
    sollicitation.status = next;
    sollicitation.status_since = today;
    if !message.trim().is_empty() {
        sollicitation.messages.push(SollicitationMessage {
            from: SollicitationActor::Sender,
            at: today,
            text: message.trim().to_owned(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wrong_role_is_named_with_its_article() {
        assert_eq!(
            role_step_message(WorksRole::Titulaire),
            "Cette étape revient au titulaire."
        );
        assert_eq!(
            role_step_message(WorksRole::Moe),
            "Cette étape revient à la maîtrise d'œuvre (MOE)."
        );
    }
}
