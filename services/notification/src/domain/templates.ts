import { escapeHtml } from '@tourkit/kit';
import type { NotificationType } from './notification.js';

/** What a template may show; everything but `data` comes from enrichment (user, catalog). */
export interface EmailContext {
  recipientName?: string;
  /** ISO 3166 country of the recipient: French for FR, BE, CH, LU, MC; English otherwise. */
  country?: string;
  bookingId?: string;
  /** `timeZone`: IANA zone the departure is stated in (the tour's); UTC when absent. */
  tour?: { id: string; title: string; destination: string; startsAt: string; timeZone?: string };
  data: Record<string, unknown>;
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

type Language = 'fr' | 'en';

const frenchSpeaking = new Set(['FR', 'BE', 'CH', 'LU', 'MC']);

export function languageFor(country: string | undefined): Language {
  return country && frenchSpeaking.has(country.toUpperCase()) ? 'fr' : 'en';
}

/**
 * An instant as the traveller reads it, in the tour's zone and the reader's language, the zone
 * named: "2027-01-12T07:30:00.000Z" in Europe/Paris → "Tuesday 12 January 2027 at 08:30
 * (Europe/Paris)"; without a zone (or an unknown one), "… at 07:30 UTC".
 */
export function formatWhen(iso: string, language: Language, timeZone = 'UTC'): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const format = (zone: string) =>
    new Intl.DateTimeFormat(language === 'fr' ? 'fr-FR' : 'en-GB', {
      dateStyle: 'full',
      timeStyle: 'short',
      timeZone: zone,
    }).format(date);
  if (timeZone !== 'UTC') {
    try {
      return `${format(timeZone)} (${timeZone})`;
    } catch {
      // An unknown zone: UTC, said so, rather than no e-mail.
    }
  }
  return `${format('UTC')} UTC`;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

function euros(cents: unknown, language: Language): string | undefined {
  if (typeof cents !== 'number' || !Number.isInteger(cents)) return undefined;
  return new Intl.NumberFormat(language === 'fr' ? 'fr-FR' : 'en-GB', {
    style: 'currency',
    currency: 'EUR',
  }).format(cents / 100);
}

/** A message as a greeting, lines and an optional link; rendered to both text and HTML. */
interface Message {
  subject: string;
  lines: string[];
  link?: { href: string; label: string };
}

function greeting(name: string | undefined, language: Language): string {
  if (language === 'fr') return name ? `Bonjour ${name},` : 'Bonjour,';
  return name ? `Hello ${name},` : 'Hello,';
}

function tourLine(context: EmailContext, language: Language): string[] {
  const tour = context.tour;
  if (!tour) return [];
  const when = formatWhen(tour.startsAt, language, tour.timeZone);
  return language === 'fr'
    ? [`Visite : ${tour.title} (${tour.destination})`, `Départ : ${when}`]
    : [`Tour: ${tour.title} (${tour.destination})`, `Starts: ${when}`];
}

function bookingLine(context: EmailContext, language: Language): string[] {
  if (!context.bookingId) return [];
  return [
    language === 'fr' ? `Réservation : ${context.bookingId}` : `Booking: ${context.bookingId}`,
  ];
}

export function bookingConfirmed(context: EmailContext): RenderedEmail {
  const language = languageFor(context.country);
  const total = euros(context.data.totalCents, language);
  const title = context.tour?.title;
  return render({
    subject:
      language === 'fr'
        ? `Réservation confirmée${title ? ` : ${title}` : ''}`
        : `Booking confirmed${title ? `: ${title}` : ''}`,
    lines: [
      greeting(context.recipientName, language),
      language === 'fr'
        ? 'Votre paiement est accepté et votre réservation est confirmée.'
        : 'Your payment went through and your booking is confirmed.',
      ...tourLine(context, language),
      ...bookingLine(context, language),
      ...(total ? [language === 'fr' ? `Total payé : ${total}` : `Total paid: ${total}`] : []),
    ],
  });
}

export function paymentLink(context: EmailContext): RenderedEmail {
  const language = languageFor(context.country);
  const link = text(context.data.paymentLink) ?? '';
  const expiresAt = text(context.data.expiresAt);
  return render({
    subject:
      language === 'fr'
        ? 'Votre réservation est en attente de paiement'
        : 'Your booking is waiting for payment',
    lines: [
      greeting(context.recipientName, language),
      language === 'fr'
        ? 'Notre service de paiement était indisponible : votre place est réservée, il reste à payer.'
        : 'Our payment service was unavailable: your seat is held, payment is still to be made.',
      ...tourLine(context, language),
      ...bookingLine(context, language),
      ...(expiresAt
        ? [
            language === 'fr'
              ? `Ce lien expire le ${formatWhen(expiresAt, language, context.tour?.timeZone)}.`
              : `This link expires on ${formatWhen(expiresAt, language, context.tour?.timeZone)}.`,
          ]
        : []),
      // The link is booking's signed, single-use capability: it needs no sign-in, so say so,
      // and that it is the traveller's to keep.
      language === 'fr'
        ? 'Ce lien ouvre votre réservation sans connexion et ne sert qu’une fois : ne le transférez pas.'
        : 'This link opens your booking without signing in and works once: do not forward it.',
    ],
    link: { href: link, label: language === 'fr' ? 'Payer ma réservation' : 'Pay for my booking' },
  });
}

export function supportAlert(context: EmailContext): RenderedEmail {
  const reason = text(context.data.reason) ?? text(context.data.error) ?? 'no reason given';
  const details = Object.entries(context.data)
    .filter(([key]) => key !== 'reason' && key !== 'error')
    .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`);
  return render({
    subject: `[Tourkit support] ${context.bookingId ? `Booking ${context.bookingId}: ` : ''}${reason}`,
    lines: [
      'Manual intervention needed.',
      ...bookingLine(context, 'en'),
      `Reason: ${reason}`,
      ...details,
    ],
  });
}

export function reviewPosted(context: EmailContext): RenderedEmail {
  const language = languageFor(context.country);
  const rating = text(context.data.rating);
  const comment = text(context.data.comment);
  const title = context.tour?.title ?? (language === 'fr' ? 'votre visite' : 'your tour');
  return render({
    subject:
      language === 'fr'
        ? `Nouvel avis${rating ? ` (${rating}/5)` : ''} sur ${title}`
        : `New review${rating ? ` (${rating}/5)` : ''} of ${title}`,
    lines: [
      greeting(context.recipientName, language),
      language === 'fr'
        ? `Un voyageur a laissé un avis sur ${title}.`
        : `A traveller reviewed ${title}.`,
      ...(rating ? [language === 'fr' ? `Note : ${rating}/5` : `Rating: ${rating}/5`] : []),
      ...(comment ? [`« ${comment} »`] : []),
    ],
  });
}

export function reminder(context: EmailContext): RenderedEmail {
  const language = languageFor(context.country);
  const tour = context.tour;
  const title = tour?.title ?? '';
  return render({
    subject:
      language === 'fr'
        ? `Rappel : ${title} commence demain`
        : `Reminder: ${title} starts tomorrow`,
    lines: [
      greeting(context.recipientName, language),
      language === 'fr'
        ? `Votre visite ${title} à ${tour?.destination ?? ''} commence dans moins de 24 heures.`
        : `Your tour ${title} in ${tour?.destination ?? ''} starts within 24 hours.`,
      ...tourLine(context, language),
      ...bookingLine(context, language),
      language === 'fr' ? 'Bon voyage !' : 'Enjoy your trip!',
    ],
  });
}

/** The tour moved or was cancelled: the new time (in the tour's zone), as booking sent it. */
export function tourChanged(context: EmailContext): RenderedEmail {
  const language = languageFor(context.country);
  const tour = context.tour;
  const title = tour?.title ?? (language === 'fr' ? 'votre visite' : 'your tour');
  const zone = text(context.data.timeZone) ?? tour?.timeZone;
  const startsAt = text(context.data.startsAt) ?? tour?.startsAt;
  const when = startsAt ? formatWhen(startsAt, language, zone) : undefined;
  const previous = text(context.data.previousStartsAt);
  const was = previous ? formatWhen(previous, language, zone) : undefined;
  if (context.data.status === 'CANCELLED') {
    return render({
      subject: language === 'fr' ? `Visite annulée : ${title}` : `Tour cancelled: ${title}`,
      lines: [
        greeting(context.recipientName, language),
        language === 'fr'
          ? `Nous sommes désolés : ${title}${when ? ` du ${when}` : ''} est annulée, et votre réservation avec elle.`
          : `We are sorry: ${title}${when ? ` on ${when}` : ''} is cancelled, and your booking with it.`,
        language === 'fr'
          ? 'Si vous avez payé, vous serez remboursé intégralement.'
          : 'If you paid, you will be refunded in full.',
        ...bookingLine(context, language),
      ],
    });
  }
  return render({
    subject: language === 'fr' ? `Nouvel horaire : ${title}` : `New departure time: ${title}`,
    lines: [
      greeting(context.recipientName, language),
      language === 'fr'
        ? `L'horaire de ${title} a changé, votre réservation suit.`
        : `${title} has a new departure time; your booking follows it.`,
      ...(when ? [language === 'fr' ? `Nouveau départ : ${when}` : `New start: ${when}`] : []),
      ...(was ? [language === 'fr' ? `Ancien départ : ${was}` : `Was: ${was}`] : []),
      ...bookingLine(context, language),
    ],
  });
}

const templates: Record<NotificationType, (context: EmailContext) => RenderedEmail> = {
  'booking-confirmed': bookingConfirmed,
  'payment-link': paymentLink,
  'support-alert': supportAlert,
  'review-posted': reviewPosted,
  reminder,
  'tour-changed': tourChanged,
};

export function renderEmail(type: NotificationType, context: EmailContext): RenderedEmail {
  return templates[type](context);
}

function render(message: Message): RenderedEmail {
  const textLines = [...message.lines];
  if (message.link) textLines.push('', `${message.link.label}: ${message.link.href}`);
  textLines.push('', '— Tourkit');
  const paragraphs = message.lines.map((line) => `<p>${escapeHtml(line)}</p>`);
  if (message.link) {
    paragraphs.push(
      `<p><a href="${escapeHtml(message.link.href)}">${escapeHtml(message.link.label)}</a></p>`,
    );
  }
  const html = `<!doctype html><html><body style="font-family:sans-serif">${paragraphs.join('')}<p>— Tourkit</p></body></html>`;
  return { subject: message.subject, text: textLines.join('\n'), html };
}
