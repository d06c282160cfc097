import Templates
import Testing

struct SubjectTemplateTests {
    let variables = ["shortID": "BACKEND-1A", "title": "TypeError: x is undefined", "project": "backend", "projectID": "4"]

    @Test func defaultTemplateHasPrefix() {
        #expect(SubjectTemplate().render(variables: variables) == "[notifyd] BACKEND-1A - TypeError: x is undefined")
    }

    @Test func bracedVariablesAndTags() {
        let template = SubjectTemplate(template: "${project}#${projectID} ${tag:environment} $title", prefix: "")
        #expect(template.render(variables: variables, tags: ["environment": "prod"]) == "backend#4 prod TypeError: x is undefined")
    }

    @Test func unknownVariablesStayLiteral() {
        let template = SubjectTemplate(template: "$nope ${tag:missing} $ $shortID", prefix: "")
        #expect(template.render(variables: variables) == "$nope ${tag:missing} $ BACKEND-1A")
    }

    @Test func firstLineOnlyAndLengthLimit() {
        let long = String(repeating: "x", count: 300)
        #expect(SubjectTemplate(template: "$title", prefix: "").render(variables: ["title": "line one\nline two"]) == "line one")
        #expect(SubjectTemplate(template: "$title").render(variables: ["title": long]).count == 128)
    }
}
