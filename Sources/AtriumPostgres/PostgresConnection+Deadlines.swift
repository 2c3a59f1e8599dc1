import Dispatch

/// Deadlines of waiting and in-flight requests, and the timers of the connection phases.
extension PostgresConnection {
    // MARK: Deadlines

    func armSweep() {
        guard sweepTimer == nil else { return }
        let timer = DispatchSource.makeTimerSource(queue: queue)
        let interval = configuration.sweepInterval.dispatchInterval
        timer.schedule(deadline: .now() + interval, repeating: interval)
        timer.setEventHandler { [weak self] in self?.sweep() }
        timer.activate()
        sweepTimer = timer
    }

    /// Fails requests past their deadline; a transaction in flight past its deadline means
    /// the connection stalled, and it is dropped.
    func sweep() {
        let now = DispatchTime.now()
        while let first = waiting.first, first.deadline < now {
            _ = waiting.popFirst()
            first.completion(.failure(timedOut("waiting for a connection")))
        }
        if let oldest = pipeline.oldest, let request = sent[oldest], request.deadline < now {
            fail(timedOut("in flight; the connection seems stalled and is dropped"))
        } else if phase == .ready, !pipeline.isEmpty {
            // A safety net under the read source: whatever arrived (or an end of file
            // libpq has not noticed yet) is seen within one sweep even if a wake-up was missed.
            readInput()
        }
        if waiting.isEmpty, pipeline.isEmpty {
            sweepTimer?.cancel()
            sweepTimer = nil
        }
    }

    func timedOut(_ state: String) -> PostgresError {
        var text = "no answer from PostgreSQL within \(configuration.requestTimeout) (\(state))"
        if let lastError { text += "; last error: \(lastError.message)" }
        return PostgresError(.timedOut, text)
    }

    func startPhaseTimer(after delay: Duration, _ action: @escaping () -> Void) {
        phaseTimer?.cancel()
        let timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(deadline: .now() + delay.dispatchInterval)
        timer.setEventHandler(handler: action)
        timer.activate()
        phaseTimer = timer
    }
}
