package loyalty

// RefundConsumer exposes the refund consumer to the tests.
var RefundConsumer = refundConsumer
