internal import Mustache

/// What the renderer sees of a `MailContext`: direct member lookup. Without it swift-mustache
/// finds every `{{name}}` by reflecting over the whole value (`Mirror`), which made rendering
/// about ten times slower. Internal, so swift-mustache stays out of the module's API.
struct MailContextView: MustacheParent {
    let context: MailContext

    func child(named name: String) -> Any? {
        switch name {
        case "header": return context.header
        case "organization": return context.organization
        case "organizationID": return context.organizationID
        case "project": return context.project
        case "projectID": return context.projectID
        case "issueType": return context.issueType
        case "shortID": return context.shortID
        case "title": return context.title
        case "culprit": return context.culprit
        case "level": return context.level
        case "status": return context.status
        case "priority": return context.priority
        case "timesSeen": return context.timesSeen
        case "firstSeen": return context.firstSeen
        case "lastSeen": return context.lastSeen
        case "eventID": return context.eventID
        case "eventTime": return context.eventTime
        case "release": return context.release
        case "environment": return context.environment
        case "user": return context.user
        case "tags": return context.tags.map(TagView.init)
        case "rules": return context.rules.map(RuleView.init)
        case "issueURL": return context.issueURL
        case "muteURL": return context.muteURL
        case "settingsURL": return context.settingsURL
        case "feedback": return context.feedback.map(FeedbackView.init)
        default: return nil
        }
    }

    struct TagView: MustacheParent {
        let tag: MailContext.Tag
        func child(named name: String) -> Any? {
            switch name {
            case "key": return tag.key
            case "value": return tag.value
            default: return nil
            }
        }
    }

    struct RuleView: MustacheParent {
        let rule: MailContext.RuleLink
        func child(named name: String) -> Any? {
            switch name {
            case "name": return rule.name
            case "url": return rule.url
            default: return nil
            }
        }
    }

    struct FeedbackView: MustacheParent {
        let feedback: MailContext.Feedback
        func child(named name: String) -> Any? {
            switch name {
            case "message": return feedback.message
            case "name": return feedback.name
            case "email": return feedback.email
            case "url": return feedback.url
            case "replayURL": return feedback.replayURL
            default: return nil
            }
        }
    }
}
