// The workbench's cards of one group: a figure each, coloured by what it means, opening the list
// it counts (the filter in the link's query string).
import { Card, Statistic, Typography, theme } from 'antd';
import type { GlobalToken } from 'antd';
import { useNavigate } from 'react-router-dom';
import type { WorkbenchCard, WorkbenchTone } from '@qiao/shared';

function toneColor(tone: WorkbenchTone | undefined, token: GlobalToken): string {
  switch (tone) {
    case 'info':
      return token.colorPrimary;
    case 'success':
      return token.colorSuccess;
    case 'warning':
      return token.colorWarning;
    case 'danger':
      return token.colorError;
    default:
      return token.colorText;
  }
}

export function WorkbenchCardItem({ card }: { card: WorkbenchCard }) {
  const navigate = useNavigate();
  const { token } = theme.useToken();
  const open = card.link ? () => navigate(card.link!) : undefined;
  return (
    <Card
      id={`workbench-card-${card.key}`}
      data-value={card.value}
      size="small"
      hoverable={Boolean(open)}
      onClick={open}
      onKeyDown={open ? (event) => (event.key === 'Enter' || event.key === ' ') && (event.preventDefault(), open()) : undefined}
      tabIndex={open ? 0 : undefined}
      role={open ? 'link' : undefined}
      aria-label={`${card.title} ${card.value}${card.unit ?? ''}`}
      style={{ height: '100%', cursor: open ? 'pointer' : 'default' }}
    >
      <Statistic
        title={card.title}
        value={card.value}
        suffix={card.unit ? <span style={{ fontSize: 14 }}>{card.unit}</span> : undefined}
        valueStyle={{ color: toneColor(card.tone, token), fontWeight: 600 }}
      />
      {card.hint ? (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {card.hint}
        </Typography.Text>
      ) : null}
    </Card>
  );
}

export function WorkbenchCardGroup({ id, title, cards }: { id: string; title: string; cards: WorkbenchCard[] }) {
  return (
    <section id={`workbench-group-${id}`} aria-label={title}>
      <Typography.Title level={5} style={{ marginTop: 0 }}>
        {title}
      </Typography.Title>
      {/* As many equal columns as fit: five or six cards stay on one row on a laptop screen. */}
      <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(160px, 1fr))', gap: 16 }}>
        {cards.map((card) => (
          <WorkbenchCardItem key={card.key} card={card} />
        ))}
      </div>
    </section>
  );
}
