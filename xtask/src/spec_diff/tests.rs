//! Unit tests of `spec_diff.rs`.

use super::*;

/// A spec with one `POST /things` operation whose JSON body is `Body`, plus extra components.
fn spec(components: &str) -> Value {
    let text = format!(
        r##"
openapi: 3.0.1
paths:
  /things/{{thing_id}}:
    post:
      operationId: createThing
      parameters:
        - name: thing_id
          in: path
          required: true
          schema:
            type: string
      requestBody:
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/Body'
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  id:
                    type: string
components:
  schemas:
{}
"##,
        indent(components, 4)
    );
    spec::parse(&text).expect("fixture parses")
}

fn indent(text: &str, by: usize) -> String {
    let pad = " ".repeat(by);
    text.lines()
        .map(|l| format!("{pad}{l}\n"))
        .collect::<String>()
}

/// A request body schema `Body` with one property, `name`, of `schema` (YAML).
fn body_with(name: &str, schema: &str) -> String {
    format!(
        "Body:\n  type: object\n  properties:\n    {name}:\n{}",
        indent(schema, 6)
    )
}

/// What spec-diff finds mistyped in `ours` against `theirs`.
fn mistyped(ours: &str, theirs: &str) -> Vec<String> {
    of(&run(ours, theirs), Category::Mistyped)
}

/// That spec-diff finds exactly one thing mistyped in `ours` against `theirs`, in the request body of
/// [`PREFIX`]'s operation: `detail` (the property's path and what differs).
#[track_caller]
fn assert_mistyped(ours: &str, theirs: &str, detail: &str) {
    assert_eq!(mistyped(ours, theirs), [format!("{PREFIX} {detail}")]);
}

/// A spec whose one operation sends and answers the schema `name`, defined (with any others) by
/// `schemas`: YAML under `components.schemas`, unindented.
fn sent_and_answered(name: &str, schemas: &str) -> String {
    format!(
        r##"
openapi: 3.0.1
paths:
  /things:
    post:
      operationId: createThing
      requestBody:
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/{name}'
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/{name}'
components:
  schemas:
{}"##,
        indent(schemas, 4)
    )
}

fn run(ours: &str, theirs: &str) -> Report {
    diff(&spec(ours), &spec(theirs))
}

fn of(report: &Report, category: Category) -> Vec<String> {
    report
        .findings
        .iter()
        .filter(|f| f.category == category)
        .map(|f| format!("{}: {}", f.path, f.detail))
        .collect()
}

const BODY: &str = r##"
Body:
  type: object
  required: [name]
  properties:
    name:
      type: string
    count:
      type: integer
      nullable: true
      default: 1
    kind:
      $ref: '#/components/schemas/Kind'
Kind:
  type: string
  enum: [a, b]
"##;

const PREFIX: &str = "POST /things/{thing_id} request application/json";

#[test]
fn identical_specs_have_no_differences() {
    let report = run(BODY, BODY);
    assert!(report.findings.is_empty(), "{:?}", report.findings);
    assert!(!report.has_errors());
    assert_eq!(
        report.summary(),
        "spec-diff: 0 missing operations, 0 missing parameters, 0 missing content types, \
             0 missing properties, 0 mistyped properties, 0 additions"
    );
}

#[test]
fn missing_operation_is_reported() {
    let ours = spec(BODY);
    let mut theirs = spec(BODY);
    let extra = spec::parse("get:\n  operationId: listThings\n  responses: {}\n").unwrap();
    theirs["paths"]
        .as_object_mut()
        .unwrap()
        .insert("/things".to_string(), extra);
    let report = diff(&ours, &theirs);
    assert_eq!(of(&report, Category::MissingOperation), ["GET /things: "]);
    assert!(report.has_errors());
    // The other way round it is an addition.
    let report = diff(&theirs, &ours);
    assert!(!report.has_errors());
    assert_eq!(
        of(&report, Category::Addition),
        ["GET /things: operation only in ours"]
    );
}

#[test]
fn missing_property_is_reported() {
    let ours = BODY.replace(
        "    count:\n      type: integer\n      nullable: true\n      default: 1\n",
        "",
    );
    let report = run(&ours, BODY);
    assert_eq!(
        of(&report, Category::MissingProperty),
        [format!("{PREFIX} .count: ")]
    );
    assert!(report.has_errors());
    assert!(report.summary().contains("1 missing properties"));
}

#[test]
fn type_change_is_mistyped() {
    let ours = BODY.replace("type: integer", "type: number");
    assert_mistyped(&ours, BODY, ".count: ours is number, theirs is integer");
    let ours = BODY.replace(
        "    name:\n      type: string",
        "    name:\n      type: array\n      items: {type: string}",
    );
    assert_mistyped(&ours, BODY, ".name: ours is array, theirs is string");
}

#[test]
fn removed_enum_value_is_mistyped_and_added_one_is_an_addition() {
    let ours = BODY.replace("enum: [a, b]", "enum: [a, c]");
    let report = run(&ours, BODY);
    assert_eq!(
        of(&report, Category::Mistyped),
        [format!("{PREFIX} .kind: enum values missing in ours: [b]")]
    );
    assert_eq!(
        of(&report, Category::Addition),
        [format!("{PREFIX} .kind: enum values only in ours: [c]")]
    );
    // A null in an enum list is not a value: it makes the enum nullable.
    let theirs = BODY.replace("enum: [a, b]", "enum: [a, b, null]");
    assert_mistyped(
        BODY,
        &theirs,
        ".kind: not nullable in ours, nullable in theirs",
    );
    let ours = BODY.replace("enum: [a, b]", "enum: [a, b]\n  nullable: true");
    assert!(run(&ours, &theirs).findings.is_empty());
}

#[test]
fn required_change_is_mistyped() {
    let ours = BODY.replace("required: [name]", "required: [name, count]");
    assert_mistyped(&ours, BODY, ".count: required in ours, optional in theirs");
}

#[test]
fn hoisted_inline_object_is_compatible() {
    let theirs = r##"
Body:
  type: object
  properties:
    usage:
      type: object
      nullable: true
      description: inline
      properties:
        tokens: {type: integer, format: int64, minimum: 0}
"##;
    let ours = r##"
Body:
  type: object
  properties:
    usage:
      allOf:
        - $ref: '#/components/schemas/CompletionUsage'
      nullable: true
      description: hoisted
CompletionUsage:
  type: object
  additionalProperties: false
  properties:
    tokens: {type: integer, format: int64, minimum: 0}
"##;
    let report = run(ours, theirs);
    assert!(report.findings.is_empty(), "{:?}", report.findings);
}

#[test]
fn open_enum_rules() {
    let body = |kind: &str| body_with("model", kind);
    let open = body("anyOf:\n  - type: string\n  - type: string\n    enum: [m1, m2]\n");
    let open_reversed =
        body("anyOf:\n  - {type: string, enum: [m1, m2, m3]}\n  - {type: string}\n");
    let closed = body("type: string\nenum: [m1, m2]\n");
    let closed_small = body("type: string\nenum: [m1, m9]\n");
    let plain = body("type: string\n");

    // Open (ours) vs plain, open (reordered, superset) and closed (subset): compatible.
    assert!(!run(&open, &plain).has_errors());
    assert!(!run(&open_reversed, &open).has_errors());
    assert!(!run(&open_reversed, &closed).has_errors());
    assert_eq!(
            of(&run(&open_reversed, &open), Category::Addition),
            ["POST /things/{thing_id} request application/json .model: enum values only in ours: [m3]"]
        );
    // Plain (ours) vs their open enum: compatible.
    assert!(!run(&plain, &open).has_errors());
    // Open (ours) vs a closed enum with a value we lack: mistyped.
    assert_mistyped(
        &open,
        &closed_small,
        ".model: enum values missing in ours: [m9]",
    );
    // Closed (ours) vs their open enum, and closed vs plain: mistyped.
    assert!(run(&closed, &open).has_errors());
    assert!(run(&closed, &plain).has_errors());
}

#[test]
fn a_required_property_ours_accepts_absent_is_an_addition_in_answers_only() {
    let text = |required: &str| {
        sent_and_answered(
            "Counts",
            &format!(
                r##"
Counts:
  type: object
  required: [{required}]
  properties:
    cached: {{type: integer}}
    reasoning: {{type: integer}}
"##
            ),
        )
    };
    let theirs = spec::parse(&text("cached, reasoning")).expect("theirs parses");
    let ours = spec::parse(&text("reasoning")).expect("ours parses");
    let report = diff(&ours, &theirs);
    // Sent without it, the request is wrong; read without it, the answer is read more widely.
    assert_eq!(
        of(&report, Category::Mistyped),
        ["POST /things request application/json .cached: optional in ours, required in theirs"]
    );
    assert_eq!(
        of(&report, Category::Addition),
        ["POST /things response 200 application/json .cached: ours accepts it absent (theirs requires it)"]
    );
    // The other way round, ours requires what theirs may leave out of an answer: an error there too.
    let report = diff(&theirs, &ours);
    assert_eq!(
        of(&report, Category::Mistyped).len(),
        2,
        "{:?}",
        report.findings
    );
}

#[test]
fn widening_union_is_an_addition() {
    let theirs = r##"
Body:
  type: object
  properties:
    errors:
      type: object
      properties:
        data:
          type: array
          items: {type: string}
"##;
    let ours = r##"
Body:
  type: object
  properties:
    errors:
      $ref: '#/components/schemas/BatchErrors'
BatchErrors:
  oneOf:
    - title: List
      type: array
      items: {type: string}
    - title: Wrapped
      $ref: '#/components/schemas/WrappedErrors'
WrappedErrors:
  type: object
  properties:
    data:
      type: array
      items: {type: string}
"##;
    let report = run(ours, theirs);
    assert!(!report.has_errors(), "{:?}", report.findings);
    let additions = of(&report, Category::Addition);
    assert_eq!(additions.len(), 1, "{additions:?}");
    assert!(additions[0].contains("ours widens object"), "{additions:?}");

    // A union with no member matching theirs is mistyped.
    let report = run(ours, &theirs.replace("type: object\n      properties:\n        data:\n          type: array\n          items: {type: string}", "type: integer"));
    assert_eq!(
        of(&report, Category::Mistyped).len(),
        1,
        "{:?}",
        report.findings
    );
}

#[test]
fn discriminated_union_members_match_by_tag() {
    // Their members are inline-named differently and listed in another order.
    let theirs = r##"
Body:
  type: object
  properties:
    messages:
      type: array
      items:
        $ref: '#/components/schemas/Message'
Message:
  oneOf:
    - $ref: '#/components/schemas/SystemMessage'
    - $ref: '#/components/schemas/UserMessage'
    - $ref: '#/components/schemas/ToolMessage'
  discriminator:
    propertyName: role
SystemMessage:
  type: object
  required: [role, content]
  properties:
    role: {type: string, enum: [system]}
    content: {type: string}
UserMessage:
  type: object
  required: [role, content]
  properties:
    role: {type: string, enum: [user]}
    content:
      oneOf:
        - {type: string, title: Text content}
        - {type: array, title: Parts, items: {type: string}}
    name: {type: string}
ToolMessage:
  type: object
  required: [role]
  properties:
    role: {type: string, enum: [tool]}
    tool_call_id: {type: string}
"##;
    let ours = r##"
Body:
  type: object
  properties:
    messages:
      type: array
      items:
        $ref: '#/components/schemas/ChatMessage'
ChatMessage:
  oneOf:
    - $ref: '#/components/schemas/ChatUserMessage'
    - $ref: '#/components/schemas/ChatSystemMessage'
    - $ref: '#/components/schemas/ChatAssistantMessage'
  discriminator:
    propertyName: role
ChatSystemMessage:
  type: object
  required: [role, content]
  properties:
    role: {type: string, enum: [system]}
    content: {type: string}
ChatUserMessage:
  type: object
  required: [role, content]
  properties:
    role: {type: string, enum: [user]}
    content:
      $ref: '#/components/schemas/UserContent'
UserContent:
  oneOf:
    - {type: array, title: Parts, items: {type: string}}
    - {type: string, title: Text}
ChatAssistantMessage:
  type: object
  required: [role]
  properties:
    role: {type: string, enum: [assistant]}
"##;
    let report = run(ours, theirs);
    let prefix = format!("{PREFIX} .messages[]");
    assert_eq!(
        of(&report, Category::MissingProperty),
        [
            format!("{prefix} <oneOf role=user> .name: "),
            format!("{prefix} <oneOf role=tool>: union member (object) missing in ours"),
        ]
    );
    assert!(
        of(&report, Category::Mistyped).is_empty(),
        "{:?}",
        report.findings
    );
    assert_eq!(
        of(&report, Category::Addition),
        [format!(
            "{prefix} <oneOf role=assistant>: union member only in ours"
        )]
    );
}

#[test]
fn nested_unions_match_a_flat_union() {
    let theirs = r##"
Body:
  type: object
  properties:
    item:
      oneOf:
        - $ref: '#/components/schemas/Easy'
        - $ref: '#/components/schemas/Ref'
        - $ref: '#/components/schemas/Call'
      discriminator:
        propertyName: type
Easy:
  type: object
  title: Easy message
  properties:
    role: {type: string}
Ref:
  type: object
  properties:
    type: {type: string, enum: [item_reference]}
    id: {type: string}
Call:
  type: object
  properties:
    type: {type: string, enum: [function_call]}
    name: {type: string}
"##;
    let ours = r##"
Body:
  type: object
  properties:
    item:
      oneOf:
        - title: EasyMessage
          allOf:
            - $ref: '#/components/schemas/Easy'
        - title: Typed
          allOf:
            - $ref: '#/components/schemas/Typed'
Typed:
  oneOf:
    - $ref: '#/components/schemas/Call'
    - $ref: '#/components/schemas/Ref'
  discriminator:
    propertyName: type
Easy:
  type: object
  properties:
    role: {type: string}
Ref:
  type: object
  properties:
    type: {type: string, enum: [item_reference]}
    id: {type: string}
Call:
  type: object
  properties:
    type: {type: string, enum: [function_call]}
    name: {type: string}
"##;
    let report = run(ours, theirs);
    assert!(report.findings.is_empty(), "{:?}", report.findings);
    // Dropping a property of a nested member is still found.
    let report = run(&ours.replace("    name: {type: string}\n", ""), theirs);
    assert_eq!(
        of(&report, Category::MissingProperty),
        [format!("{PREFIX} .item <oneOf type=function_call> .name: ")]
    );
}

#[test]
fn self_referencing_wrappers_are_errors_not_overflows() {
    let ours = r##"
Body:
  type: object
  properties:
    loop:
      $ref: '#/components/schemas/Loop'
Loop:
  oneOf:
    - type: string
    - type: array
      items: {type: string}
    - allOf:
        - $ref: '#/components/schemas/Loop'
"##;
    let theirs = "Body:\n  type: object\n  properties:\n    loop: {type: string}\n";
    let report = run(ours, theirs);
    assert!(report.has_errors());
    assert!(
        of(&report, Category::Invalid).len() == 1,
        "{:?}",
        report.findings
    );
}

#[test]
fn constraint_only_one_of_is_ignored_and_cycles_terminate() {
    let theirs = r##"
Body:
  type: object
  oneOf:
    - required: [name]
    - required: [child]
  properties:
    name: {type: string}
    child:
      $ref: '#/components/schemas/Body'
"##;
    let ours = r##"
Body:
  type: object
  properties:
    name: {type: string}
    child:
      $ref: '#/components/schemas/Node'
Node:
  allOf:
    - $ref: '#/components/schemas/Body'
"##;
    let report = run(ours, theirs);
    assert!(report.findings.is_empty(), "{:?}", report.findings);
}

#[test]
fn parameters_and_content_types_are_compared() {
    let mut ours = spec(BODY);
    let theirs = spec(BODY);
    let op = &mut ours["paths"]["/things/{thing_id}"]["post"];
    op["parameters"][0]["schema"]["type"] = Value::from("integer");
    op["requestBody"]["content"]
        .as_object_mut()
        .unwrap()
        .remove("application/json");
    op["responses"]["200"]["content"]["text/plain"] =
        spec::parse("schema: {type: string}").unwrap();
    let report = diff(&ours, &theirs);
    assert_eq!(
        of(&report, Category::Mistyped),
        ["POST /things/{thing_id} parameter path:thing_id: ours is integer, theirs is string"]
    );
    assert_eq!(
        of(&report, Category::MissingContentType),
        [format!("{PREFIX}: ")]
    );
    assert_eq!(
        of(&report, Category::Addition),
        ["POST /things/{thing_id} response 200 text/plain: content type only in ours"]
    );

    let mut theirs_with_query = spec(BODY);
    theirs_with_query["paths"]["/things/{thing_id}"]["post"]["parameters"]
        .as_array_mut()
        .unwrap()
        .push(spec::parse("{name: limit, in: query, schema: {type: integer}}").unwrap());
    let report = diff(&spec(BODY), &theirs_with_query);
    assert_eq!(
        of(&report, Category::MissingParameter),
        ["POST /things/{thing_id} parameter query:limit: "]
    );
}

#[test]
fn unresolved_refs_are_reported_not_panicked() {
    let ours = BODY.replace("'#/components/schemas/Kind'", "'#/components/schemas/Nope'");
    let report = run(&ours, BODY);
    assert_eq!(
        of(&report, Category::Invalid).len(),
        1,
        "{:?}",
        report.findings
    );
    assert!(report.has_errors());
    assert!(report.summary().ends_with("1 unreadable schemas"));
}

#[test]
fn render_groups_sections() {
    let ours = BODY.replace("enum: [a, b]", "enum: [a]");
    let text = run(&ours, BODY).render();
    assert!(
        text.starts_with("Mistyped parameters and properties (1):\n"),
        "{text}"
    );
}

#[test]
fn request_body_required_change_is_mistyped() {
    let mut ours = spec(BODY);
    let mut theirs = spec(BODY);
    theirs["paths"]["/things/{thing_id}"]["post"]["requestBody"]["required"] = Value::from(true);
    let report = diff(&ours, &theirs);
    assert_eq!(
        of(&report, Category::Mistyped),
        ["POST /things/{thing_id} request: body optional in ours, required in theirs"]
    );
    ours["paths"]["/things/{thing_id}"]["post"]["requestBody"]["required"] = Value::from(false);
    assert!(diff(&ours, &theirs).has_errors());
    ours["paths"]["/things/{thing_id}"]["post"]["requestBody"]["required"] = Value::from(true);
    assert!(diff(&ours, &theirs).findings.is_empty());
    // Ours requires a body theirs may leave out: also mistyped.
    let report = diff(&ours, &spec(BODY));
    assert_eq!(
        of(&report, Category::Mistyped),
        ["POST /things/{thing_id} request: body required in ours, optional in theirs"]
    );
}

#[test]
fn free_form_object_on_one_side_is_mistyped() {
    let theirs = r##"
Body:
  type: object
  properties:
    usage:
      $ref: '#/components/schemas/Usage'
    extra:
      type: object
Usage:
  type: object
  required: [tokens]
  properties:
    tokens: {type: integer}
    cached: {type: integer}
"##;
    let ours = "Body:\n  type: object\n  properties:\n    usage: {type: object}\n    extra: {type: object}\n";
    assert_mistyped(
        ours,
        theirs,
        ".usage: ours is a free-form object, theirs has properties [cached, tokens]",
    );
    assert_mistyped(
        theirs,
        ours,
        ".usage: ours has properties [cached, tokens], theirs is a free-form object",
    );
    // Free-form on both sides is the same.
    assert!(run(ours, ours).findings.is_empty());
}

#[test]
fn array_items_on_one_side_only_is_mistyped() {
    let theirs = r##"
Body:
  type: object
  properties:
    top:
      type: array
      items:
        $ref: '#/components/schemas/Top'
Top:
  type: object
  properties:
    token: {type: string}
"##;
    let ours = "Body:\n  type: object\n  properties:\n    top: {type: array}\n";
    assert_mistyped(
        ours,
        theirs,
        ".top: ours is an array of anything, theirs has an item schema",
    );
    assert_mistyped(
        theirs,
        ours,
        ".top: ours has an item schema, theirs is an array of anything",
    );
    assert!(run(ours, ours).findings.is_empty());
}

#[test]
fn nullability_is_compared_by_direction() {
    let text = |nullable: bool| {
        sent_and_answered(
            "Message",
            &format!(
                r##"
Message:
  type: object
  required: [content]
  properties:
    content:
      type: string
      nullable: {nullable}
"##
            ),
        )
    };
    let nullable = spec::parse(&text(true)).expect("parses");
    let not_nullable = spec::parse(&text(false)).expect("parses");
    // Ours drops `nullable`: an error both ways (ours cannot send null, ours rejects a null answer).
    let report = diff(&not_nullable, &nullable);
    assert_eq!(
        of(&report, Category::Mistyped),
        [
            "POST /things request application/json .content: not nullable in ours, nullable in theirs",
            "POST /things response 200 application/json .content: not nullable in ours, nullable in theirs",
        ]
    );
    // Ours adds it: an error in a request (ours may send null), an addition in an answer.
    let report = diff(&nullable, &not_nullable);
    assert_eq!(
        of(&report, Category::Mistyped),
        ["POST /things request application/json .content: nullable in ours, not nullable in theirs"]
    );
    assert_eq!(
        of(&report, Category::Addition),
        ["POST /things response 200 application/json .content: ours accepts null (theirs does not)"]
    );
}

#[test]
fn null_in_unions_and_type_lists_is_nullability() {
    let body = |content: &str| body_with("content", content);
    let wrapped = body("allOf:\n  - {type: string}\nnullable: true\n");
    let null_member = body("anyOf:\n  - {type: string}\n  - {type: 'null'}\n");
    let type_list = body("type: [string, 'null']\n");
    let plain = body("type: string\n");
    for theirs in [&wrapped, &null_member, &type_list] {
        assert!(run(&wrapped, theirs).findings.is_empty(), "{theirs}");
        assert_eq!(
            mistyped(&plain, theirs),
            [format!(
                "{PREFIX} .content: not nullable in ours, nullable in theirs"
            )],
            "{theirs}"
        );
    }
    // A nullable member makes the union nullable; the member itself is not compared for it again.
    let their_union = body(
        "oneOf:\n  - {type: string, nullable: true}\n  - {type: array, items: {type: string}}\n",
    );
    let our_union = body(
        "oneOf:\n  - {type: string, title: Single}\n  - {type: array, items: {type: string}}\n",
    );
    let our_nullable_union = format!("{our_union}      nullable: true\n");
    assert!(run(&our_nullable_union, &their_union).findings.is_empty());
    assert_mistyped(
        &our_union,
        &their_union,
        ".content: not nullable in ours, nullable in theirs",
    );
}

#[test]
fn format_differences_are_mistyped() {
    let body = |audio: &str| body_with("audio", audio);
    let binary = body("type: string\nformat: binary\n");
    let text = body("type: string\n");
    let date = body("type: string\nformat: date-time\n");
    assert!(run(&binary, &binary).findings.is_empty());
    assert_mistyped(
        &text,
        &binary,
        ".audio: format none in ours, binary in theirs",
    );
    assert_mistyped(
        &binary,
        &text,
        ".audio: format binary in ours, none in theirs",
    );
    assert_mistyped(
        &date,
        &binary,
        ".audio: format date-time in ours, binary in theirs",
    );
    // The format of a schema reached through an allOf wrapper counts too.
    let wrapped = "Body:\n  type: object\n  properties:\n    audio:\n      allOf:\n        - $ref: '#/components/schemas/Audio'\nAudio: {type: string}\n";
    assert_mistyped(
        wrapped,
        &binary,
        ".audio: format none in ours, binary in theirs",
    );
}

#[test]
fn bounds_are_compared_by_direction() {
    let text = |penalty: &str, n: &str| {
        sent_and_answered(
            "Settings",
            &format!(
                r##"
Settings:
  type: object
  properties:
    penalty: {{type: number, {penalty}}}
    n: {{type: integer, {n}}}
    stop: {{type: array, items: {{type: string}}, minItems: 0, maxItems: 4}}
    name: {{type: string, minLength: 1}}
"##
            ),
        )
    };
    let theirs = spec::parse(&text("minimum: -2, maximum: 2", "minimum: 1")).expect("parses");
    assert!(diff(&theirs, &theirs).findings.is_empty());

    // Tighter bounds: errors in a request and in a response.
    let tighter = spec::parse(&text("minimum: -2, maximum: 0.5", "minimum: 5")).expect("parses");
    let report = diff(&tighter, &theirs);
    let mut expected = Vec::new();
    for place in ["request", "response 200"] {
        expected.push(format!(
            "POST /things {place} application/json .n: minimum 5 in ours, 1 in theirs"
        ));
        expected.push(format!(
            "POST /things {place} application/json .penalty: maximum 0.5 in ours, 2 in theirs"
        ));
    }
    assert_eq!(of(&report, Category::Mistyped), expected);
    assert!(of(&report, Category::Addition).is_empty());

    // Looser or missing bounds: errors in a request, additions in a response.
    let looser =
        spec::parse(&text("minimum: -2, maximum: 5", "exclusiveMinimum: false")).expect("parses");
    let report = diff(&looser, &theirs);
    assert_eq!(
        of(&report, Category::Mistyped),
        [
            "POST /things request application/json .n: minimum none in ours, 1 in theirs",
            "POST /things request application/json .penalty: maximum 5 in ours, 2 in theirs",
        ]
    );
    assert_eq!(
        of(&report, Category::Addition),
        [
            "POST /things response 200 application/json .n: minimum none in ours, 1 in theirs (ours reads more widely)",
            "POST /things response 200 application/json .penalty: maximum 5 in ours, 2 in theirs (ours reads more widely)",
        ]
    );

    // Length and size bounds too; a zero minimum bounds nothing.
    let sizes = text("minimum: -2, maximum: 2", "minimum: 1")
        .replace("minItems: 0, maxItems: 4", "maxItems: 2")
        .replace("minLength: 1", "maxLength: 8");
    let report = diff(&spec::parse(&sizes).expect("parses"), &theirs);
    assert_eq!(
        of(&report, Category::Mistyped),
        [
            "POST /things request application/json .name: maxLength 8 in ours, none in theirs",
            "POST /things request application/json .name: minLength none in ours, 1 in theirs",
            "POST /things request application/json .stop: maxItems 2 in ours, 4 in theirs",
            "POST /things response 200 application/json .name: maxLength 8 in ours, none in theirs",
            "POST /things response 200 application/json .stop: maxItems 2 in ours, 4 in theirs",
        ]
    );
}

#[test]
fn additional_properties_schemas_are_compared() {
    let body = |values: &str| {
        format!(
            "Body:\n  type: object\n  properties:\n    metadata:\n      type: object\n      nullable: true\n{}",
            indent(values, 6)
        )
    };
    let strings = body("additionalProperties:\n  type: string\n");
    let integers = body("additionalProperties:\n  type: integer\n");
    let any = body("additionalProperties: true\n");
    let absent = body("");
    assert!(run(&strings, &strings).findings.is_empty());
    assert_eq!(
        mistyped(&integers, &strings),
        [format!(
            "{PREFIX} .metadata{{*}}: ours is integer, theirs is string"
        )]
    );
    for ours in [&any, &absent] {
        assert_mistyped(
            ours,
            &strings,
            ".metadata: ours takes additional properties of any type, theirs has a schema for them",
        );
        assert_mistyped(
            &strings,
            ours,
            ".metadata: ours has a schema for additional properties, theirs takes any",
        );
    }
    // `true`, `false` and absence all leave the values unconstrained.
    assert!(run(&any, &absent).findings.is_empty());
    assert!(run(&body("additionalProperties: false\n"), &absent)
        .findings
        .is_empty());
}

#[test]
fn a_type_theirs_does_not_state_is_mistyped() {
    let body = |value: &str| body_with("value", value);
    let untyped = body("description: anything\n");
    let typed = body("type: string\n");
    assert!(run(&untyped, &untyped).findings.is_empty());
    assert_mistyped(
        &typed,
        &untyped,
        ".value: ours is string, theirs is untyped",
    );
    assert_mistyped(
        &untyped,
        &typed,
        ".value: ours is untyped, theirs is string",
    );
}
