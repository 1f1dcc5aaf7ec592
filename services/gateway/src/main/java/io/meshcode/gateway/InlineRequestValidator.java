package io.meshcode.gateway;

import io.vertx.core.Vertx;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.ValidatableRequest;
import io.vertx.openapi.validation.ValidatorException;
import io.vertx.openapi.validation.impl.RequestValidatorImpl;
import java.util.Map;

/**
 * vertx-openapi's request checks, run inline on the calling thread. The public
 * {@code RequestValidator.validate} runs the same checks but hands each request to a worker
 * thread first, which under load cost more than the checks; the per-parameter and body checks it
 * runs there are public methods of its implementation class only. This is the one class of the
 * gateway that reaches into {@code io.vertx.openapi.validation.impl}: {@code
 * InlineRequestValidatorTest} fails on an upgrade that removes those methods or makes them judge
 * a request differently from the public validator.
 */
final class InlineRequestValidator {

  private final RequestValidatorImpl validator;

  InlineRequestValidator(Vertx vertx, OpenAPIContract contract) {
    this.validator = new RequestValidatorImpl(vertx, contract);
  }

  /** Checks every parameter of {@code operation}, then its body; the first that fails throws. */
  void validate(Operation operation, ValidatableRequest request) throws ValidatorException {
    for (Parameter parameter : operation.getParameters()) {
      Map<String, RequestParameter> values = switch (parameter.getIn()) {
        case COOKIE -> request.getCookies();
        case HEADER -> request.getHeaders();
        case PATH -> request.getPathParameters();
        case QUERY -> request.getQuery();
      };
      validator.validateParameter(parameter, values.get(parameter.getName()));
    }
    validator.validateBody(operation.getRequestBody(), request);
  }
}
