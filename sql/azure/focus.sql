-- Azure Cost Management cost details (canonical columns, as read_azure_cost returns them) -> FOCUS.
--
-- Follows Microsoft's documented conversion (finops-toolkit docs-mslearn/focus/convert.md).
-- Cost Management ships commitment (reservation, savings plan) costs two ways: the *actual*
-- dataset bills the purchase and shows covered usage at 0; the *amortized* dataset spreads the
-- purchase over the covered usage (and unused hours) and leaves the purchase out. FOCUS wants
-- both views in one row set, so when a call reads both datasets (x_call_datasets =
-- 'actual+amortized') the WHERE below keeps every amortized row plus only the actual rows that
-- are commitment purchases or refunds: BilledCost then sums to the invoice and EffectiveCost to
-- the amortized cost, nothing counted twice. With one dataset every row is kept and
-- x_CostBasis says which totals are incomplete. Lookup tables: services (ConsumedService ->
-- service name and FOCUS 1.2 category), regions (any Azure spelling of a region -> id, name).
SELECT
    -- Covered and unused commitment usage of the amortized dataset is invoiced through the
    -- purchase (an actual-dataset row), so it bills 0 here.
    CASE
        WHEN x_dataset = 'amortized' AND PricingModel IN ('Reservation', 'SavingsPlan')
             AND coalesce(ChargeType, '') NOT IN ('Purchase', 'Refund') THEN 0
        ELSE coalesce(CostInBillingCurrency, 0)
    END AS BilledCost,

    -- Commitment purchases and refunds are spread over the usage they cover (amortized rows),
    -- so they carry no effective cost themselves.
    CASE
        WHEN ChargeType IN ('Purchase', 'Refund') AND PricingModel IN ('Reservation', 'SavingsPlan') THEN 0
        ELSE coalesce(CostInBillingCurrency, 0)
    END AS EffectiveCost,

    -- Pay-as-you-go cost: MCA gives it; EA gives the pay-as-you-go unit price (per pricing block,
    -- as Quantity counts blocks); without either, the cost itself.
    coalesce(PaygCostInBillingCurrency, PayGPrice * Quantity, CostInBillingCurrency, 0) AS ListCost,
    -- FOCUS unit prices are never negative; a refund written with a negative unit price gets
    -- its sign on PricingQuantity instead (below), so quantity x price is still the cost.
    abs(PayGPrice) AS ListUnitPrice,
    coalesce(UnitPrice * Quantity, CostInBillingCurrency, 0) AS ContractedCost,
    CASE WHEN UnitPrice IS NOT NULL AND Quantity IS NOT NULL THEN abs(UnitPrice) END AS ContractedUnitPrice,

    -- EA: the enrollment is the billing account. MCA invoices per billing profile, which is
    -- what FOCUS calls the billing account (Microsoft's own mapping); MCA rows are those whose
    -- profile differs from the account. Legacy pay-as-you-go files are billed per subscription.
    -- Ids are ARM resource ids, as Microsoft's FocusCost export writes them, so converted and
    -- native FOCUS data of one account group together (the bare ids stay in x_ columns).
    CASE
        WHEN BillingProfileId IS NOT NULL AND BillingProfileId <> coalesce(BillingAccountId, '') AND BillingAccountId IS NOT NULL
        THEN '/providers/Microsoft.Billing/billingAccounts/' || BillingAccountId || '/billingProfiles/' || BillingProfileId
        WHEN BillingProfileId IS NOT NULL AND BillingProfileId <> coalesce(BillingAccountId, '') THEN BillingProfileId
        WHEN BillingAccountId IS NOT NULL THEN '/providers/Microsoft.Billing/billingAccounts/' || BillingAccountId
        WHEN SubscriptionId IS NOT NULL THEN '/subscriptions/' || lower(SubscriptionId)
    END AS BillingAccountId,
    CASE
        WHEN BillingProfileId IS NOT NULL AND BillingProfileId <> coalesce(BillingAccountId, '') THEN BillingProfileName
        WHEN BillingAccountId IS NOT NULL THEN BillingAccountName
        ELSE coalesce(SubscriptionName, SubscriptionId)
    END AS BillingAccountName,
    CASE
        WHEN BillingProfileId IS NOT NULL AND BillingProfileId <> coalesce(BillingAccountId, '') THEN 'Billing Profile'
        WHEN BillingAccountId IS NOT NULL THEN 'Billing Account'
        WHEN SubscriptionId IS NOT NULL THEN 'Subscription'
    END AS BillingAccountType,
    BillingCurrency AS BillingCurrency,
    coalesce(PricingCurrency, BillingCurrency) AS PricingCurrency,

    -- Azure gives the last day of the period and the usage day; FOCUS ends are exclusive.
    -- Legacy usage details have no billing period: they are monthly, so the usage month.
    coalesce(BillingPeriodStartDate, month_start(Date)) AS BillingPeriodStart,
    coalesce(add_days(BillingPeriodEndDate, 1), month_end(Date)) AS BillingPeriodEnd,
    Date AS ChargePeriodStart,
    add_days(Date, 1) AS ChargePeriodEnd,

    -- Unused commitment hours are usage of the commitment; a refund corrects a purchase.
    -- Legacy usage details have no ChargeType: every row is usage.
    CASE
        WHEN ChargeType IS NULL THEN 'Usage'
        WHEN ChargeType IN ('Usage', 'UnusedReservation', 'UnusedSavingsPlan') THEN 'Usage'
        WHEN ChargeType IN ('Purchase', 'Refund') THEN 'Purchase'
        WHEN ChargeType = 'Credit' THEN 'Credit'
        WHEN ChargeType = 'Tax' THEN 'Tax'
        ELSE 'Adjustment'
    END AS ChargeCategory,
    CASE WHEN ChargeType = 'Refund' THEN 'Correction' END AS ChargeClass,
    CASE
        WHEN Frequency = 'OneTime' THEN 'One-Time'
        WHEN Frequency = 'Recurring' THEN 'Recurring'
        WHEN Frequency = 'UsageBased' THEN 'Usage-Based'
        WHEN ChargeType IN ('Purchase', 'Refund') THEN 'One-Time'
        ELSE 'Usage-Based'
    END AS ChargeFrequency,
    coalesce(ProductName, MeterName, MeterCategory) AS ChargeDescription,

    -- The benefit id is the commitment's ARM id: reservations live under Microsoft.Capacity and
    -- cover usage quantities; savings plans under Microsoft.BillingBenefits and cover spend.
    -- Exports older than BenefitId only name the reservation.
    CASE
        WHEN contains(lower(BenefitId), '/microsoft.capacity/') THEN 'Usage'
        WHEN contains(lower(BenefitId), '/microsoft.billingbenefits/') THEN 'Spend'
        WHEN BenefitId IS NULL AND ReservationId IS NOT NULL THEN 'Usage'
    END AS CommitmentDiscountCategory,
    CASE
        WHEN contains(lower(BenefitId), '/microsoft.capacity/') THEN 'Reservation'
        WHEN contains(lower(BenefitId), '/microsoft.billingbenefits/') THEN 'Savings Plan'
        WHEN BenefitId IS NULL AND ReservationId IS NOT NULL THEN 'Reservation'
    END AS CommitmentDiscountType,
    coalesce(BenefitId, ReservationId) AS CommitmentDiscountId,
    CASE WHEN coalesce(BenefitId, ReservationId) IS NOT NULL THEN coalesce(BenefitName, ReservationName) END AS CommitmentDiscountName,
    CASE
        WHEN ChargeType IN ('UnusedReservation', 'UnusedSavingsPlan') THEN 'Unused'
        WHEN ChargeType = 'Usage' AND coalesce(BenefitId, ReservationId) IS NOT NULL THEN 'Used'
    END AS CommitmentDiscountStatus,

    -- UnitOfMeasure is a pricing block ('10K', '100 Hours', '1 GB/Month'): Quantity counts
    -- blocks and the unit prices are per block (Cost = Quantity x price). So PricingQuantity is
    -- Quantity with the block as PricingUnit ('10000 Units'), and ConsumedQuantity is Quantity x
    -- block size in single units ('Units'); PricingQuantity x ListUnitPrice = ListCost still
    -- holds. sql/azure/units.csv gives block sizes and FOCUS UnitFormat spellings (storage per
    -- month accrues GB-Months); a UnitOfMeasure it lacks passes through as written, block 1.
    CASE
        WHEN coalesce(ChargeType, 'Usage') = 'Usage'
        THEN Quantity * coalesce(CAST(lookup('units', lower(trim(UnitOfMeasure)), 'block_size') AS DECIMAL), 1)
    END AS ConsumedQuantity,
    CASE
        WHEN coalesce(ChargeType, 'Usage') = 'Usage' AND Quantity IS NOT NULL
        THEN coalesce(lookup('units', lower(trim(UnitOfMeasure)), 'consumed_unit'), UnitOfMeasure)
    END AS ConsumedUnit,
    CASE
        WHEN ChargeType IN ('Tax', 'Credit', 'RoundingAdjustment') THEN NULL
        WHEN UnitPrice < 0 THEN -Quantity
        ELSE Quantity
    END AS PricingQuantity,
    CASE
        WHEN (ChargeType IS NULL OR ChargeType NOT IN ('Tax', 'Credit', 'RoundingAdjustment')) AND Quantity IS NOT NULL
        THEN coalesce(lookup('units', lower(trim(UnitOfMeasure)), 'pricing_unit'), UnitOfMeasure)
    END AS PricingUnit,
    CASE
        WHEN PricingModel = 'OnDemand' THEN 'Standard'
        WHEN PricingModel = 'Spot' THEN 'Dynamic'
        WHEN PricingModel IN ('Reservation', 'SavingsPlan') THEN 'Committed'
        WHEN coalesce(ChargeType, 'Usage') IN ('Usage', 'Purchase') THEN 'Standard'
    END AS PricingCategory,

    -- On-demand capacity reservations: the VM's usage names the reservation it ran in
    -- (AdditionalInfo.VMCapacityReservationId); rows billed to the reservation resource itself
    -- are its unused capacity (Microsoft's documented mapping).
    nullif(regexp_extract(AdditionalInfo, '"VMCapacityReservationId"\s*:\s*"([^"]*)"', 1), '') AS CapacityReservationId,
    CASE
        WHEN nullif(regexp_extract(AdditionalInfo, '"VMCapacityReservationId"\s*:\s*"([^"]*)"', 1), '') IS NULL THEN NULL
        WHEN contains(lower(ResourceId), '/microsoft.compute/capacityreservationgroups/') THEN 'Unused'
        ELSE 'Used'
    END AS CapacityReservationStatus,

    InvoiceId AS InvoiceId,
    -- CSP partners invoice their customers; everyone else is invoiced by Microsoft.
    coalesce(PartnerName, 'Microsoft') AS InvoiceIssuerName,
    'Microsoft' AS ProviderName,
    coalesce(PublisherName, 'Microsoft') AS PublisherName,

    -- Regions: exports spell them 'uksouth', 'EastUS2', 'US East 2' or 'UK South'; all meet
    -- lower-cased without spaces; an unknown region keeps that normalised spelling.
    coalesce(lookup('regions', lower(replace(ResourceLocation, ' ', '')), 'region_id'), lower(replace(ResourceLocation, ' ', ''))) AS RegionId,
    coalesce(lookup('regions', lower(replace(ResourceLocation, ' ', '')), 'region_name'), Location, ResourceLocation) AS RegionName,
    AvailabilityZone AS AvailabilityZone,

    -- ARM ids are case-insensitive and exports mix cases ('/SUBSCRIPTIONS/...'); lower case, as
    -- in Microsoft's FocusCost, so one resource has one id.
    lower(ResourceId) AS ResourceId,
    -- EA names the resource; MCA only gives the id, whose last segment is the name.
    coalesce(ResourceName, nullif(regexp_extract(ResourceId, '[^/]+$'), '')) AS ResourceName,
    -- The ARM type (legacy usage details have it as a column; others inside the id).
    coalesce(ResourceType, nullif(regexp_extract(lower(ResourceId), '/providers/([^/]+/[^/]+)/', 1), '')) AS ResourceType,

    -- Category from the consumed service (resource provider); the meter category names the
    -- service where the provider is not in sql/azure/services.csv.
    coalesce(lookup('services', lower(ConsumedService), 'service_category'), 'Other') AS ServiceCategory,
    coalesce(lookup('services', lower(ConsumedService), 'service_subcategory'), 'Other (Other)') AS ServiceSubcategory,
    coalesce(lookup('services', lower(ConsumedService), 'service_name'), MeterCategory, ConsumedService, 'Other') AS ServiceName,

    -- MCA has a product id, EA a part number; legacy usage details only the meter id, which
    -- identifies the priced meter there.
    coalesce(ProductId, PartNumber, MeterId) AS SkuId,
    CASE WHEN coalesce(ProductId, PartNumber, MeterId) IS NOT NULL THEN MeterName END AS SkuMeter,
    CASE WHEN SubscriptionId IS NOT NULL THEN '/subscriptions/' || lower(SubscriptionId) END AS SubAccountId,
    -- Legacy usage details carry no subscription name; FOCUS requires one wherever there is an
    -- id, so the id stands in (as for the billing account above).
    coalesce(SubscriptionName, SubscriptionId) AS SubAccountName,
    CASE WHEN SubscriptionId IS NOT NULL THEN 'Subscription' END AS SubAccountType,
    map_json(Tags) AS Tags,

    -- Which dataset the row comes from, and what the call's totals mean.
    x_dataset AS x_SourceDataset,
    CASE x_call_datasets
        WHEN 'actual+amortized' THEN 'actual+amortized'
        WHEN 'actual' THEN 'actual only: BilledCost is the invoice; EffectiveCost lacks amortized commitment cost'
        WHEN 'amortized' THEN 'amortized only: EffectiveCost is amortized; BilledCost lacks commitment purchases'
        ELSE 'unknown dataset, read as actual: EffectiveCost lacks amortized commitment cost'
    END AS x_CostBasis,
    BillingAccountId AS x_BillingAccountId,
    BillingProfileId AS x_BillingProfileId,
    SubscriptionId AS x_SubscriptionId,
    ChargeType AS x_ChargeType,
    PricingModel AS x_PricingModel,
    CostInBillingCurrency AS x_CostInBillingCurrency,
    -- As Microsoft's FocusCost names them: the raw unit and its block size.
    UnitOfMeasure AS x_PricingUnitDescription,
    CASE WHEN UnitOfMeasure IS NOT NULL THEN coalesce(CAST(lookup('units', lower(trim(UnitOfMeasure)), 'block_size') AS DECIMAL), 1) END AS x_PricingBlockSize,
    MeterId AS x_SkuMeterId,
    MeterCategory AS x_SkuMeterCategory,
    MeterSubCategory AS x_SkuMeterSubcategory,
    ConsumedService AS x_ConsumedService,
    ResourceGroup AS x_ResourceGroupName,
    InvoiceSectionName AS x_InvoiceSectionName,
    CostCenter AS x_CostCenter,
    AdditionalInfo AS x_AdditionalInfo
FROM source
WHERE x_call_datasets <> 'actual+amortized'
   OR x_dataset = 'amortized'
   OR (ChargeType IN ('Purchase', 'Refund') AND PricingModel IN ('Reservation', 'SavingsPlan'))
