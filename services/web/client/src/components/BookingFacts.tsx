import type { ReactNode } from 'react';
import type { BookingStatus } from '../booking-status';
import { useI18n } from '../i18n';

/**
 * A booking's facts as the booking page and the pay-link page show them: date, travellers, total
 * and status (its class and test id are what the browser tests read). `children` come first.
 */
export function BookingFacts(props: {
  tourStartsAt: string;
  travellers: number;
  totalCents: number;
  status: BookingStatus;
  children?: ReactNode;
}) {
  const { t, money, dateTime } = useI18n();
  return (
    <dl className="facts">
      {props.children}
      <dt>{t.bookings.date}</dt>
      <dd>{dateTime(props.tourStartsAt)}</dd>
      <dt>{t.bookings.travellers}</dt>
      <dd>{props.travellers}</dd>
      <dt>{t.bookings.total}</dt>
      <dd>{money(props.totalCents)}</dd>
      <dt>{t.bookings.status}</dt>
      <dd>
        <span
          className={`status status-${props.status.toLowerCase()}`}
          data-testid="booking-status"
        >
          {t.status[props.status]}
        </span>
      </dd>
    </dl>
  );
}
