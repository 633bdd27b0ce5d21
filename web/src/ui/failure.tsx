import { useT } from '../i18n.ts';

export function Failure(props: { error: Error; retry?: () => void }) {
  const { t } = useT();
  return (
    <div className="error" role="alert">
      <strong>{t('error')}:</strong> {props.error.message}{' '}
      {props.retry && (
        <button type="button" onClick={props.retry}>
          {t('retry')}
        </button>
      )}
    </div>
  );
}

/** A field's message from a problem+json answer, tied to its input by id. */
export function FieldMessage(props: { id: string; message: string | undefined }) {
  if (!props.message) return null;
  return (
    <span className="field-error" id={props.id} role="alert">
      {props.message}
    </span>
  );
}

/** A form's submit button with the API's message above it, for forms whose fields carry none. */
export function Submit(props: { error: Error | null; busy: boolean; label: string }) {
  return (
    <>
      {props.error && (
        <p className="error" role="alert">
          {props.error.message}
        </p>
      )}
      <button type="submit" className="primary" disabled={props.busy}>
        {props.label}
      </button>
    </>
  );
}
