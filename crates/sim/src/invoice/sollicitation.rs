//! Sollicitations (« tickets » in the new portal, reference section 7): the form of espace
//! « Sollicitations émises » and the lifecycle of a request.
//!
//! Confirmed: a sollicitation has a catégorie and a sous-catégorie, whose pair routes it to the
//! Chorus Pro support or to a « service métier »; it carries a title, a description and
//! attachments; the sender can add information, send it back, or close it; the handler can
//! answer, ask for more information, or transfer it to the support.
//! *Unconfirmed*: the list of categories and the status labels. [`CATEGORIES`] and
//! [`SollicitationStatus`] are the simulator's suggestions and must not be taught as the
//! portal's lists.

use core::fmt;

use serde::{Deserialize, Serialize};

use super::form::Attachment;
use super::rules::check_attachment;
use super::FieldError;

/// The sollicitation being written.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SollicitationForm {
    /// Catégorie (the « objet » of the request).
    pub category: String,
    /// Sous-catégorie.
    pub subcategory: String,
    /// SIRET of the issuing structure.
    pub structure_siret: String,
    /// Number of the invoice concerned, if any.
    pub invoice_number: String,
    /// Titre / résumé.
    pub title: String,
    /// Description (the message).
    pub message: String,
    /// Pièces jointes.
    pub attachments: Vec<Attachment>,
}

/// Who processes a sollicitation, as decided by its category pair.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Handler {
    /// The Chorus Pro support.
    Support,
    /// The public service processing the invoices (« service métier »).
    ServiceMetier,
}

/// A suggested category with its sub-categories and its handler.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Category {
    /// Label of the category.
    pub label: &'static str,
    /// Labels of its sub-categories.
    pub subcategories: &'static [&'static str],
    /// Who processes it.
    pub handler: Handler,
}

/// The simulator's categories. The portal's list is *unconfirmed*: these labels are invented,
/// except that replacing a departed gestionnaire principal goes to the support (reference 5.3).
pub const CATEGORIES: [Category; 4] = [
    Category {
        label: "Compte utilisateur",
        subcategories: &["Activation du compte", "Connexion et mot de passe"],
        handler: Handler::Support,
    },
    Category {
        label: "Structure",
        subcategories: &[
            "Changement de gestionnaire principal",
            "Rattachement à une structure",
        ],
        handler: Handler::Support,
    },
    Category {
        label: "Facture",
        subcategories: &[
            "Suivi d'une facture",
            "Facture rejetée ou suspendue",
            "Paiement d'une facture",
        ],
        handler: Handler::ServiceMetier,
    },
    Category {
        label: "Factures de travaux",
        subcategories: &[
            "Dépôt d'une pièce de travaux",
            "Suivi d'un dossier de facturation",
        ],
        handler: Handler::ServiceMetier,
    },
];

/// Status of a sollicitation (suggested states; portal labels *unconfirmed*).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SollicitationStatus {
    /// Brouillon.
    Brouillon,
    /// Envoyée, waiting for the handler (« À traiter »).
    Envoyee,
    /// En cours de traitement.
    EnCours,
    /// The handler asked for more information (« Complément demandé »).
    ComplementDemande,
    /// The handler answered.
    Repondue,
    /// The sender was not satisfied and sent it back (« Renvoyée »).
    Renvoyee,
    /// Clôturée: final.
    Cloturee,
}

/// Something that happens to a sollicitation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SollicitationEvent {
    /// Sender: « Soumettre ».
    Send,
    /// Handler: starts processing.
    TakeUp,
    /// Handler: « demander un complément ».
    RequestInformation,
    /// Sender: « apporter un complément d'information ».
    ProvideInformation,
    /// Handler: « répondre ».
    Answer,
    /// Sender: « renvoyer le ticket au destinataire » (the answer did not satisfy).
    SendBack,
    /// Handler (service métier): « transférer au support ».
    TransferToSupport,
    /// Sender: « clôturer ».
    Close,
}

/// Who acts on a sollicitation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SollicitationActor {
    /// The user who wrote it.
    Sender,
    /// The support or service métier processing it.
    Handler,
}

/// Why a sollicitation event is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SollicitationError {
    /// Someone else must do this.
    WrongActor,
    /// Not possible in this status.
    NotAllowed(SollicitationStatus),
}

/// Checks a sollicitation before « Soumettre »: known category and sub-category, a title, a
/// description, and attachments following the same rules as invoice attachments.
pub fn validate_sollicitation(form: &SollicitationForm) -> Vec<FieldError> {
    let mut res = Vec::new();
    match CATEGORIES
        .iter()
        .find(|category| category.label == form.category.trim())
    {
        None => res.push(FieldError::new(
            "category",
            "sollicitation-category-required",
            "Choisissez une catégorie.".to_owned(),
            RULE_CATEGORY,
        )),
        Some(category) if !category.subcategories.contains(&form.subcategory.trim()) => {
            res.push(FieldError::new(
                "subcategory",
                "sollicitation-subcategory-required",
                "Choisissez une sous-catégorie.".to_owned(),
                RULE_CATEGORY,
            ))
        }
        Some(_) => {}
    }
    if form.title.trim().is_empty() {
        res.push(FieldError::new(
            "title",
            "sollicitation-title-required",
            "Saisissez un titre.".to_owned(),
            "Le titre résume la demande en quelques mots.",
        ));
    }
    if form.message.trim().is_empty() {
        res.push(FieldError::new(
            "message",
            "sollicitation-message-required",
            "Décrivez votre demande.".to_owned(),
            "La description donne les références utiles (numéro de facture, SIRET…) pour un traitement rapide.",
        ));
    }
    for (idx, attachment) in form.attachments.iter().enumerate() {
        res.extend(check_attachment(&format!("attachments[{idx}]"), attachment));
    }
    res
}

/// Who processes a sollicitation with this category, if the category is known.
pub fn handler_for(category: &str) -> Option<Handler> {
    CATEGORIES
        .iter()
        .find(|c| c.label == category.trim())
        .map(|c| c.handler)
}

/// Applies `event`, done by `actor`, to a sollicitation in status `current`.
pub fn sollicitation_transition(
    current: SollicitationStatus,
    event: SollicitationEvent,
    actor: SollicitationActor,
) -> Result<SollicitationStatus, SollicitationError> {
    use SollicitationEvent as E;
    use SollicitationStatus as S;
    if actor != event.actor() {
        return Err(SollicitationError::WrongActor);
    }
    let next = match (event, current) {
        (E::Send, S::Brouillon) => S::Envoyee,
        (E::TakeUp, S::Envoyee | S::Renvoyee) => S::EnCours,
        (E::RequestInformation, S::Envoyee | S::EnCours | S::Renvoyee) => S::ComplementDemande,
        (E::ProvideInformation, S::ComplementDemande) => S::EnCours,
        (E::Answer, S::Envoyee | S::EnCours | S::Renvoyee) => S::Repondue,
        (E::SendBack, S::Repondue) => S::Renvoyee,
        (E::TransferToSupport, S::Envoyee | S::EnCours | S::Renvoyee) => S::Envoyee,
        (E::Close, S::Envoyee | S::EnCours | S::ComplementDemande | S::Repondue | S::Renvoyee) => {
            S::Cloturee
        }
        _ => return Err(SollicitationError::NotAllowed(current)),
    };
    Ok(next)
}

const RULE_CATEGORY: &str =
    "La catégorie et la sous-catégorie orientent la sollicitation vers le support Chorus Pro \
ou vers le service qui traite vos factures.";

impl SollicitationEvent {
    /// Who may trigger the event.
    pub fn actor(self) -> SollicitationActor {
        match self {
            SollicitationEvent::Send
            | SollicitationEvent::ProvideInformation
            | SollicitationEvent::SendBack
            | SollicitationEvent::Close => SollicitationActor::Sender,
            SollicitationEvent::TakeUp
            | SollicitationEvent::RequestInformation
            | SollicitationEvent::Answer
            | SollicitationEvent::TransferToSupport => SollicitationActor::Handler,
        }
    }
}

impl SollicitationStatus {
    /// French label (suggested; *unconfirmed*).
    pub fn label(self) -> &'static str {
        match self {
            SollicitationStatus::Brouillon => "Brouillon",
            SollicitationStatus::Envoyee => "À traiter",
            SollicitationStatus::EnCours => "En cours",
            SollicitationStatus::ComplementDemande => "Complément demandé",
            SollicitationStatus::Repondue => "Répondue",
            SollicitationStatus::Renvoyee => "Renvoyée",
            SollicitationStatus::Cloturee => "Clôturée",
        }
    }
}

impl SollicitationError {
    /// The message shown to the learner, in French.
    pub fn message_fr(self) -> String {
        match self {
            SollicitationError::WrongActor => "Cette action revient à l'autre partie.".to_owned(),
            SollicitationError::NotAllowed(status) => {
                format!(
                    "Cette action n'est pas possible pour une sollicitation « {} ».",
                    status.label()
                )
            }
        }
    }
}

impl fmt::Display for SollicitationError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.message_fr())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use SollicitationActor::{Handler as H, Sender as Sd};
    use SollicitationEvent as E;
    use SollicitationStatus as S;

    fn valid_form() -> SollicitationForm {
        SollicitationForm {
            category: "Structure".to_owned(),
            subcategory: "Changement de gestionnaire principal".to_owned(),
            structure_siret: "81452763600017".to_owned(),
            title: "Nommer un nouveau gestionnaire principal".to_owned(),
            message: "Notre gestionnaire principal a quitté l'entreprise.".to_owned(),
            ..SollicitationForm::default()
        }
    }

    fn codes(form: &SollicitationForm) -> Vec<&'static str> {
        validate_sollicitation(form)
            .into_iter()
            .map(|error| error.code)
            .collect()
    }

    #[test]
    fn a_complete_sollicitation_is_valid_and_routed() {
        assert!(codes(&valid_form()).is_empty());
        assert_eq!(handler_for("Structure"), Some(Handler::Support));
        assert_eq!(handler_for("Facture"), Some(Handler::ServiceMetier));
        assert_eq!(handler_for("Autre"), None);
    }

    #[test]
    fn missing_fields_and_bad_attachments_are_reported() {
        let form = SollicitationForm {
            attachments: vec![Attachment {
                name: "capture.exe".to_owned(),
                size_bytes: 10,
                password_protected: false,
            }],
            ..SollicitationForm::default()
        };
        assert_eq!(
            codes(&form),
            [
                "sollicitation-category-required",
                "sollicitation-title-required",
                "sollicitation-message-required",
                "attachment-extension-refused"
            ]
        );
        let wrong_sub = SollicitationForm {
            subcategory: "Suivi d'une facture".to_owned(),
            ..valid_form()
        };
        assert_eq!(codes(&wrong_sub), ["sollicitation-subcategory-required"]);
    }

    #[test]
    fn a_sollicitation_is_answered_sent_back_and_closed() {
        let steps = [
            (E::Send, Sd, S::Envoyee),
            (E::TakeUp, H, S::EnCours),
            (E::RequestInformation, H, S::ComplementDemande),
            (E::ProvideInformation, Sd, S::EnCours),
            (E::Answer, H, S::Repondue),
            (E::SendBack, Sd, S::Renvoyee),
            (E::TransferToSupport, H, S::Envoyee),
            (E::Answer, H, S::Repondue),
            (E::Close, Sd, S::Cloturee),
        ];
        let mut status = S::Brouillon;
        for (event, actor, expected) in steps {
            status = sollicitation_transition(status, event, actor).unwrap();
            assert_eq!(status, expected, "{event:?}");
        }
    }

    #[test]
    fn forbidden_sollicitation_events_are_refused() {
        assert_eq!(
            sollicitation_transition(S::Brouillon, E::Answer, H),
            Err(SollicitationError::NotAllowed(S::Brouillon))
        );
        assert_eq!(
            sollicitation_transition(S::Envoyee, E::Answer, Sd),
            Err(SollicitationError::WrongActor)
        );
        assert_eq!(
            sollicitation_transition(S::Cloturee, E::Close, Sd),
            Err(SollicitationError::NotAllowed(S::Cloturee))
        );
        assert_eq!(
            sollicitation_transition(S::Cloturee, E::TakeUp, H),
            Err(SollicitationError::NotAllowed(S::Cloturee))
        );
        assert_eq!(
            sollicitation_transition(S::EnCours, E::SendBack, Sd),
            Err(SollicitationError::NotAllowed(S::EnCours))
        );
    }
}
