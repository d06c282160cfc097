/// The `preview` channel: renders the delivery's email from the store and writes it to the
/// preview folder (`<id>.eml`, `<id>.html`, `<id>.txt`).
public struct PreviewChannel: DeliveryChannel {
    /// Renders the email.
    public let renderer: DeliveryRenderer
    /// Writes the files.
    public let writer: PreviewWriter

    /// Creates the channel.
    public init(renderer: DeliveryRenderer, writer: PreviewWriter) {
        self.renderer = renderer
        self.writer = writer
    }

    public func deliver(_ delivery: Delivery, store: any Store) async -> DeliveryOutcome {
        let renderer = self.renderer
        do {
            let rendered = try await store.read { try renderer.render(delivery, to: "preview@localhost", in: $0) }
            try writer.write(id: delivery.id, mail: rendered.mail, message: rendered.message)
            return .delivered(statusCode: nil)
        } catch let error as DeliveryRenderer.MissingData {
            return .failed(statusCode: nil, error: error.description)
        } catch {
            // A full disk or a permission problem may pass.
            return .retry(statusCode: nil, error: "\(error)", retryAfter: nil)
        }
    }
}
