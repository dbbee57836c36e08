import { useId, type ChangeEvent, type HTMLInputTypeAttribute, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError, FieldError } from '../api';

/** The message(s) the server attached to any of `paths` (e.g. "login", "guardian.name"). */
export function fieldMessage(error: ApiError | null, ...paths: string[]): string | undefined {
  if (!error) return undefined;
  const msgs = error.fields.filter((f) => paths.includes(f.path)).map((f) => f.message);
  return msgs.length ? msgs.join(' ') : undefined;
}

type TextFieldProps = {
  name: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string;
  hint?: ReactNode;
  type?: HTMLInputTypeAttribute;
  autoComplete?: string;
  inputMode?: 'text' | 'tel' | 'email' | 'numeric' | 'decimal' | 'search' | 'url' | 'none';
  required?: boolean;
  maxLength?: number;
  placeholder?: string;
  disabled?: boolean;
};

export function TextField(props: TextFieldProps) {
  const id = useId();
  const errId = `${id}-error`;
  const hintId = `${id}-hint`;
  const describedBy = [props.error ? errId : null, props.hint ? hintId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${props.error ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>
        {props.label}
        {props.required ? <span className="required" aria-hidden="true">*</span> : null}
      </label>
      <input
        id={id}
        name={props.name}
        type={props.type ?? 'text'}
        value={props.value}
        onChange={(e: ChangeEvent<HTMLInputElement>) => props.onChange(e.target.value)}
        autoComplete={props.autoComplete}
        inputMode={props.inputMode}
        required={props.required}
        maxLength={props.maxLength}
        placeholder={props.placeholder}
        disabled={props.disabled}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={describedBy}
      />
      {props.hint ? (
        <p className="field-hint" id={hintId}>
          {props.hint}
        </p>
      ) : null}
      <FieldErrorText id={errId} name={props.name} message={props.error} />
    </div>
  );
}

export function FieldErrorText({ id, name, message }: { id?: string; name: string; message?: string }) {
  if (!message) return null;
  return (
    <p className="field-error" id={id} data-testid="field-error" data-field={name}>
      {message}
    </p>
  );
}

/**
 * The form-level message: the server's `message`, plus any field message the
 * form has no field for (so nothing the server says gets lost).
 */
export function FormError({ error, shownPaths = [] }: { error: ApiError | null; shownPaths?: string[] }) {
  const { t } = useTranslation();
  if (!error) return null;
  const extra: FieldError[] = error.fields.filter((f) => !shownPaths.includes(f.path));
  return (
    <div className="form-error" role="alert" data-testid="form-error" data-code={error.code}>
      <p>{error.message}</p>
      {extra.length ? (
        <ul>
          {extra.map((f, i) => (
            <li key={`${f.path}-${i}`}>
              {f.path ? `${f.path}: ` : ''}
              {f.message || t('errors.unknown')}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

export function FormSuccess({ children }: { children: ReactNode }) {
  return (
    <p className="form-success" role="status" data-testid="form-success">
      {children}
    </p>
  );
}
