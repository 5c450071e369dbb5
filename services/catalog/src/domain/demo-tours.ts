import type { Season, TourDraft } from './tour.js';

interface DemoTour {
  title: string;
  destination: string;
  country: string;
  description: string;
  /** Days after the date the demo data is loaded, at `hourUtc`. */
  inDays: number;
  hourUtc: number;
  durationHours: number;
  capacity: number;
  priceCents: number;
  /** Seats already booked, to show availability (equal to capacity: sold out). */
  booked?: number;
}

const DEMO_TOURS: DemoTour[] = [
  {
    title: 'Louvre highlights with an art historian',
    destination: 'Paris',
    country: 'FR',
    description: 'Mona Lisa, Winged Victory and the Napoleon III apartments in three hours.',
    inDays: 3,
    hourUtc: 8,
    durationHours: 3,
    capacity: 20,
    priceCents: 6500,
    booked: 12,
  },
  {
    title: 'Montmartre walking tour',
    destination: 'Paris',
    country: 'FR',
    description: 'Sacré-Cœur, Place du Tertre and the painters of the Butte.',
    inDays: 10,
    hourUtc: 13,
    durationHours: 2,
    capacity: 15,
    priceCents: 2500,
  },
  {
    title: 'Seine dinner cruise',
    destination: 'Paris',
    country: 'FR',
    description: 'Three-course dinner while the monuments light up.',
    inDays: 21,
    hourUtc: 18,
    durationHours: 3,
    capacity: 40,
    priceCents: 11000,
    booked: 40,
  },
  {
    title: 'Versailles day trip',
    destination: 'Paris',
    country: 'FR',
    description: 'The palace, the Hall of Mirrors and the gardens, transport included.',
    inDays: 45,
    hourUtc: 7,
    durationHours: 9,
    capacity: 30,
    priceCents: 9500,
    booked: 4,
  },
  {
    title: 'Paris food market tasting',
    destination: 'Paris',
    country: 'FR',
    description: 'Cheese, bread and pastries in the Marais.',
    inDays: 120,
    hourUtc: 9,
    durationHours: 3,
    capacity: 12,
    priceCents: 7500,
  },
  {
    title: 'Eiffel Tower summit at sunset',
    destination: 'Paris',
    country: 'FR',
    description: 'Skip-the-line access to the summit with a guide.',
    inDays: 200,
    hourUtc: 17,
    durationHours: 2,
    capacity: 25,
    priceCents: 8900,
    booked: 7,
  },
  {
    title: 'Old Lyon traboules',
    destination: 'Lyon',
    country: 'FR',
    description: 'The hidden passageways of Vieux Lyon and a bouchon lunch.',
    inDays: 14,
    hourUtc: 9,
    durationHours: 4,
    capacity: 16,
    priceCents: 4500,
  },
  {
    title: 'Berlin Wall and Cold War history',
    destination: 'Berlin',
    country: 'DE',
    description: 'From Checkpoint Charlie to the East Side Gallery by bike.',
    inDays: 7,
    hourUtc: 10,
    durationHours: 4,
    capacity: 18,
    priceCents: 3900,
    booked: 3,
  },
  {
    title: 'Neuschwanstein castle from Munich',
    destination: 'Munich',
    country: 'DE',
    description: 'Day trip to the fairy-tale castle.',
    inDays: 60,
    hourUtc: 6,
    durationHours: 11,
    capacity: 35,
    priceCents: 7900,
  },
  {
    title: 'Colosseum underground',
    destination: 'Rome',
    country: 'IT',
    description: 'The arena floor and the hypogeum with an archaeologist.',
    inDays: 30,
    hourUtc: 8,
    durationHours: 3,
    capacity: 12,
    priceCents: 8500,
    booked: 11,
  },
  {
    title: 'Sagrada Família and Gaudí',
    destination: 'Barcelona',
    country: 'ES',
    description: 'The basilica, then Casa Batlló from the outside.',
    inDays: 90,
    hourUtc: 9,
    durationHours: 3,
    capacity: 20,
    priceCents: 6900,
  },
  {
    title: 'Lisbon tram 28 and Alfama fado',
    destination: 'Lisbon',
    country: 'PT',
    description: 'The old tram line by day, a fado house by night.',
    inDays: 150,
    hourUtc: 16,
    durationHours: 5,
    capacity: 14,
    priceCents: 5500,
  },
  {
    title: 'Amsterdam canals by boat',
    destination: 'Amsterdam',
    country: 'NL',
    description: 'The Golden Age canal ring from the water.',
    inDays: 240,
    hourUtc: 12,
    durationHours: 2,
    capacity: 30,
    priceCents: 3200,
  },
];

/** High season in summer, festive season at year end, low season in late winter: for this year and the next. */
export function demoSeasons(basePriceCents: number, year: number): Season[] {
  return [year, year + 1].flatMap((y) => [
    {
      name: 'low',
      from: `${y}-01-05`,
      until: `${y}-03-15`,
      priceCents: Math.round(basePriceCents * 0.85),
    },
    {
      name: 'high',
      from: `${y}-06-15`,
      until: `${y}-08-31`,
      priceCents: Math.round(basePriceCents * 1.25),
    },
    {
      name: 'festive',
      from: `${y}-12-15`,
      until: `${y}-12-31`,
      priceCents: Math.round(basePriceCents * 1.15),
    },
  ]);
}

/** The zone of each demo country (every demo tour's country is here). */
const DEMO_TIME_ZONES: Record<string, string> = {
  DE: 'Europe/Berlin',
  ES: 'Europe/Madrid',
  FR: 'Europe/Paris',
  IT: 'Europe/Rome',
  NL: 'Europe/Amsterdam',
  PT: 'Europe/Lisbon',
};

export function demoDrafts(now: Date): Array<{ draft: TourDraft; booked: number }> {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return DEMO_TOURS.map((tour) => ({
    draft: {
      title: tour.title,
      destination: tour.destination,
      country: tour.country,
      description: tour.description,
      startsAt: new Date(today + tour.inDays * 86_400_000 + tour.hourUtc * 3_600_000),
      timeZone: DEMO_TIME_ZONES[tour.country] ?? 'Europe/Paris',
      durationHours: tour.durationHours,
      capacity: tour.capacity,
      priceCents: tour.priceCents,
      seasons: demoSeasons(tour.priceCents, now.getUTCFullYear()),
      operatorEmail: `operator+${tour.destination.toLowerCase()}@tourkit.dev`,
    },
    booked: tour.booked ?? 0,
  }));
}
