import type { Customer } from '../../domain/order.js';
import type { Clock } from '../../platform/clock.js';
import type { Ids } from '../../platform/ids.js';
import type { Store } from '../../store/database.js';
import type { OrdersRepo } from '../../store/orders-repo.js';

/** Customers as sign-in sees them: the OAuth `sub` is `customers.subject`. */
export interface CustomerService {
  bySubject(subject: string): Customer | undefined;
  /** A new customer with a fresh opaque subject, from a first sign-in's name and phone. */
  register(name: string, phone: string): Customer;
}

/** Wraps OrdersRepo's customer rows for the authorization server. */
export function createCustomerService(deps: {
  store: Store;
  orders: OrdersRepo;
  clock: Clock;
  ids: Ids;
}): CustomerService {
  const { store, orders, clock, ids } = deps;
  return {
    bySubject: (subject) => orders.customerBySubject(subject),
    register(name, phone) {
      // A phone number is typed, not verified: matching an existing customer by it would let anyone
      // sign in as anyone, so each first sign-in is a new customer until phone verification exists.
      const customer: Customer = { id: ids.next('cus'), subject: ids.next('sub'), name, phone };
      store.transaction(() => orders.insertCustomer(customer, clock.now().getTime()));
      return customer;
    },
  };
}
