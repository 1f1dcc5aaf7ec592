package io.meshcode.gateway;

import io.meshcode.core.http.ApiException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.SchemaRepository;
import io.vertx.json.schema.Validator;
import io.vertx.openapi.contract.MediaType;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.OpenAPIVersion;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Location;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.contract.Path;
import io.vertx.openapi.contract.SecurityRequirement;
import io.vertx.openapi.contract.SecurityScheme;
import io.vertx.openapi.contract.Server;
import io.vertx.openapi.validation.RequestUtils;
import io.vertx.openapi.validation.ValidatorException;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks each request against its operation in the OpenAPI document, on the event loop, with
 * schema validators built once at start.
 *
 * <p>The router's own validation builds a fresh validator for every parameter and body of every
 * request (each copying the document's whole schema table) and hands the work to a worker
 * thread: profiled under load that was half of the mesh's CPU. Here the same checks (vertx-openapi's
 * parameter and body validation, so the same rules and errors) use validators made once per
 * schema, and run inline ({@link InlineRequestValidator}): validating a request takes microseconds.
 */
final class RequestValidation {

  private final InlineRequestValidator validator;
  private final JsonObject contract;

  RequestValidation(Vertx vertx, OpenAPIContract contract) {
    this.validator = new InlineRequestValidator(vertx, new PrebuiltValidators(contract));
    this.contract = contract.getRawContract();
  }

  /**
   * The first handler of {@code operation}'s route: 400 with the validator's reason, or on to the
   * next handler. A request its {@link QuickRequest} finds certainly valid goes on at once.
   */
  Handler<RoutingContext> handlerFor(Operation operation) {
    QuickRequest quick = QuickRequest.of(operation, contract);
    Set<String> single = operation.getParameters().stream()
        .filter(p -> p.getIn() == Location.QUERY && !"array".equals(p.getSchema().get("type")))
        .map(Parameter::getName)
        .collect(Collectors.toSet());
    return ctx -> {
      String repeated = repeatedQueryParameter(ctx, single);
      if (repeated != null) {
        ctx.fail(ApiException.badRequest("query parameter '" + repeated + "' is given more than once"));
        return;
      }
      if (quick != null && quick.accepts(ctx)) {
        ctx.next();
        return;
      }
      Buffer body = ctx.body() == null ? null : ctx.body().buffer();
      RequestUtils.extract(ctx.request(), operation, () -> Future.succeededFuture(body)).onComplete(extracted -> {
        if (extracted.failed()) {
          ctx.fail(extracted.cause() instanceof ValidatorException ? new HttpException(400, extracted.cause()) : extracted.cause());
          return;
        }
        try {
          validator.validate(operation, extracted.result());
        } catch (ValidatorException invalid) {
          ctx.fail(new HttpException(400, invalid));
          return;
        }
        ctx.next();
      });
    };
  }

  /**
   * A single-valued query parameter given twice, or null: which of two a reader would take
   * differs from one parser to the next.
   */
  private static String repeatedQueryParameter(RoutingContext ctx, Set<String> single) {
    if (ctx.request().query() == null) {
      return null;
    }
    for (String name : single) {
      if (ctx.queryParams().getAll(name).size() > 1) {
        return name;
      }
    }
    return null;
  }

  /**
   * The contract as the validator sees it: the same in every respect, except that its schema
   * repository answers each of the document's parameter and body schemas with one validator made
   * at start (validators are immutable and safe to share).
   */
  private static final class PrebuiltValidators implements OpenAPIContract {

    private final OpenAPIContract contract;
    private final SchemaRepository repository;

    PrebuiltValidators(OpenAPIContract contract) {
      this.contract = contract;
      SchemaRepository schemas = contract.getSchemaRepository();
      Map<JsonSchema, Validator> built = new IdentityHashMap<>();
      for (Operation operation : contract.operations()) {
        for (Parameter parameter : operation.getParameters()) {
          built.computeIfAbsent(parameter.getSchema(), schemas::validator);
        }
        if (operation.getRequestBody() != null) {
          for (MediaType type : operation.getRequestBody().getContent().values()) {
            built.computeIfAbsent(type.getSchema(), schemas::validator);
          }
        }
      }
      this.repository = new Prebuilt(schemas, built);
    }

    @Override public SchemaRepository getSchemaRepository() {
      return repository;
    }

    @Override public Operation operation(String operationId) {
      return contract.operation(operationId);
    }

    @Override public List<Operation> operations() {
      return contract.operations();
    }

    @Override public List<Path> getPaths() {
      return contract.getPaths();
    }

    @Override public JsonObject getRawContract() {
      return contract.getRawContract();
    }

    @Override public OpenAPIVersion getVersion() {
      return contract.getVersion();
    }

    @Override public List<Server> getServers() {
      return contract.getServers();
    }

    @Override public Path findPath(String urlPath) {
      return contract.findPath(urlPath);
    }

    @Override public Operation findOperation(String urlPath, HttpMethod method) {
      return contract.findOperation(urlPath, method);
    }

    @Override public List<SecurityRequirement> getSecurityRequirements() {
      return contract.getSecurityRequirements();
    }

    @Override public SecurityScheme securityScheme(String name) {
      return contract.securityScheme(name);
    }
  }

  /** A schema repository whose validators for known schemas were built once; anything else goes to the original. */
  private record Prebuilt(SchemaRepository schemas, Map<JsonSchema, Validator> built) implements SchemaRepository {

    @Override public Validator validator(JsonSchema schema) {
      Validator prebuilt = built.get(schema);
      return prebuilt != null ? prebuilt : schemas.validator(schema);
    }

    @Override public SchemaRepository dereference(JsonSchema schema) {
      return schemas.dereference(schema);
    }

    @Override public SchemaRepository dereference(String uri, JsonSchema schema) {
      return schemas.dereference(uri, schema);
    }

    @Override public SchemaRepository preloadMetaSchema(io.vertx.core.file.FileSystem fs) {
      return schemas.preloadMetaSchema(fs);
    }

    @Override public SchemaRepository preloadMetaSchema(io.vertx.core.file.FileSystem fs, io.vertx.json.schema.Draft draft) {
      return schemas.preloadMetaSchema(fs, draft);
    }

    @Override public Validator validator(String ref) {
      return schemas.validator(ref);
    }

    @Override public Validator validator(String ref, JsonSchemaOptions options) {
      return schemas.validator(ref, options);
    }

    @Override public Validator validator(JsonSchema schema, JsonSchemaOptions options, boolean dereference) {
      return schemas.validator(schema, options, dereference);
    }

    @Override public JsonObject resolve(JsonObject schema) {
      return schemas.resolve(schema);
    }

    @Override public JsonSchema find(String ref) {
      return schemas.find(ref);
    }
  }
}
