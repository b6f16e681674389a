import { Component, type ReactNode } from "react";

interface State {
  error: Error | null;
}

/** Never a blank page: a render error becomes a message with a way back. */
export class ErrorBoundary extends Component<{ children: ReactNode; resetKey?: string }, State> {
  state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  componentDidUpdate(prev: { resetKey?: string }): void {
    if (prev.resetKey !== this.props.resetKey && this.state.error) this.setState({ error: null });
  }

  render(): ReactNode {
    if (this.state.error) {
      return (
        <div className="empty-state" role="alert" data-testid="render-error">
          <h2>Something went wrong showing this page</h2>
          <p>{this.state.error.message}</p>
          <p>
            <a href="#/">Back to sessions</a> · <button type="button" className="link-btn" onClick={() => location.reload()}>Reload</button>
          </p>
        </div>
      );
    }
    return this.props.children;
  }
}
