// Package pricing turns a cart into a priced order: one pure function,
// Price, from (cart lines, customer, time, active rules, applied coupons,
// points to redeem, shipping fee) to a PricedOrder that says, line by line,
// what each unit cost, which rule or coupon took how much off and why, in
// words a shopper reads in zh-CN or en.
//
// Price touches no database and no clock: everything it needs is in its
// Input, so the same input always gives the same output, and checkout can
// price a cart twice (when the shopper looks, when they pay) and compare
// the totals exactly (Totals is comparable with ==; CheckQuote turns a
// mismatch into a 409 carrying the new price).
//
// # Order of application
//
// Stages run in this order, each on the amounts the earlier stages left.
// Within a stage, lines are taken in ascending SKU id and rules and coupons
// in ascending id, so shuffling the input never changes the result. A rule
// takes part only when it is active: inside its window (StartsAt inclusive,
// EndsAt exclusive) and its daily Hours in the shop's zone, for the
// customer's tier and, when it says so, on a first order.
//
//  1. Member price. A line whose MemberPrices has the customer's tier at a
//     unit price below the list price is priced at it.
//  2. Item rules (percent_off, amount_off). Each line gets at most one: the
//     rules whose scope names the line's SKU beat those naming its product,
//     which beat those naming one of its categories, which beat shop-wide
//     rules; among the most specific, the largest discount wins (ties to
//     the lower rule id).
//  3. Quantity rules (multi_buy 满件折, bundle). A line takes part in at
//     most one: repeatedly, the rule giving the largest discount on the
//     lines not yet taken is applied and takes its lines.
//  4. Order rules (tiered 满减: the highest step reached, or with Repeat
//     every multiple of the step up to MaxOff), chosen the same way as
//     quantity rules; then the first free_shipping rule (满额包邮) whose
//     covered amount reaches its threshold waives the shipping fee.
//  5. Coupons. Each coupon is first checked on its own (window, owner,
//     limits, tier, scope, minimum spend against the in-scope amount after
//     rules and before any coupon); a coupon that fails is rejected with a
//     Reason. Of the rest: if any is exclusive, the best exclusive one
//     applies alone ("best" is the most taken off at that point, ties to
//     the lower id). Otherwise the best non-stackable coupon applies, then
//     every stackable one in id order (a coupon whose batch is in another's
//     NotWith list, or lists it, is rejected as not_stackable). Each
//     applies to what the coupons before it left; a free_shipping coupon
//     waives the shipping fee (up to its Amount when set).
//  6. Points, worth whole multiples of the rate, capped by the percentage
//     and amount the shop allows, never more than what is left to pay for
//     the items. Points never pay for shipping.
//
// Every order-level amount (a bundle's saving, 满减, a coupon, points) is
// split over the lines it applies to in proportion to what each line still
// costs, by the largest remainder (platform.Allocate): the shares sum to
// the amount exactly and no line goes below zero. Percentages are rounded
// half up to the fen.
//
// # What a caller loads
//
// Rules: the shop's rules whose window has not ended (Price skips those out
// of window or daily hours, or whose tier or first-order condition the
// customer does not meet; validate rules when they are
// saved with Rule.Validate). Coupons: the ones the shopper applied, each
// with its batch and the usage counts the limits need (this customer's
// uses of the batch, all uses of the batch, whether this code is spent).
// Customer: id, tier code ("" when none), whether this is their first
// order. Points: how many the shopper wants to redeem (at most their
// balance; the caller checks it), the rate and the caps. Shipping: the
// fee computed by checkout.
//
// All types are plain structs with JSON tags, so rules, coupons and priced
// orders can be stored as they are.
package pricing
